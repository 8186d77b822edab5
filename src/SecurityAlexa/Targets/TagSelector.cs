namespace SecurityAlexa.Targets;

/// <summary>A tag as it really exists in the account (exact key and value).</summary>
internal sealed record TagSelector(string Key, string Value)
{
    /// <summary>Every exact value meant: Value, plus spellings that differ only in case or separators ("prod", "Prod").</summary>
    public IReadOnlyList<string> Values { get; init; } = [Value];
}
