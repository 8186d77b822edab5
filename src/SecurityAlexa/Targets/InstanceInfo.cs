namespace SecurityAlexa.Targets;

/// <summary>An EC2 instance as the skill talks about it.</summary>
internal sealed record InstanceInfo(
    string Id,
    string? Name,
    string State,
    string? VpcId,
    string? PrivateIp,
    string? Platform,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The Name tag, or the id when the instance has no name.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name!;

    /// <summary>The value of a tag, or null.</summary>
    public string? Tag(string key) => Tags.TryGetValue(key, out var v) ? v : null;
}
