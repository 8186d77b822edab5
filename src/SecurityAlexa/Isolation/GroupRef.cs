namespace SecurityAlexa.Isolation;

/// <summary>A security group as an interface names it.</summary>
internal sealed record GroupRef(string Id, string? Name);
