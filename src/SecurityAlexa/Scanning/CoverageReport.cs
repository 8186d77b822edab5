namespace SecurityAlexa.Scanning;

/// <summary>
/// A tag's coverage as read in a bounded number of calls. When <see cref="Complete"/>, <see cref="Entries"/> holds every
/// resource Inspector has for the tag. Otherwise it is only the first page (a sample, in no useful order), and
/// <see cref="CoveredCount"/> is Inspector's exact count of covered (ACTIVE) resources with the tag, when it could be read.
/// </summary>
internal sealed record CoverageReport(IReadOnlyList<CoverageEntry> Entries, bool Complete, long? CoveredCount = null)
{
    /// <summary>Every entry, read to the end.</summary>
    public static CoverageReport Of(IReadOnlyList<CoverageEntry> entries) => new(entries, true);
}
