namespace SecurityAlexa.Targets;

/// <summary>One tag on one instance, as DescribeTags returns it.</summary>
internal sealed record InstanceTag(string InstanceId, string Key, string Value);
