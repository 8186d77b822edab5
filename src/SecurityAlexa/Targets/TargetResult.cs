namespace SecurityAlexa.Targets;

/// <summary>The result of resolving spoken words to instances.</summary>
internal abstract record TargetResult
{
    private TargetResult() { }

    /// <summary>The words resolved to a non-empty set of instances.</summary>
    public sealed record Found(TargetSelection Selection) : TargetResult;

    /// <summary>More than one candidate fits; ask which one. Candidates are display strings.</summary>
    public sealed record Ambiguous(AmbiguityKind Kind, string Heard, IReadOnlyList<string> Candidates) : TargetResult;

    /// <summary>Nothing fits. Known lists what does exist (keys, values or names) to say back.</summary>
    public sealed record NotFound(NotFoundKind Kind, string Heard, string? ResolvedKey, IReadOnlyList<string> Known) : TargetResult
    {
        /// <summary>For <see cref="NotFoundKind.TooManyToRead"/>: how many matched in the pages read, a lower bound (0: unknown).</summary>
        public int AtLeast { get; init; }
    }
}
