namespace SecurityAlexa.Targets;

/// <summary>One page of results and the token for the next, or null at the end.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);
