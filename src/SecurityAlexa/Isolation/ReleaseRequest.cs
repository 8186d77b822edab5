namespace SecurityAlexa.Isolation;

/// <summary>
/// Who asks for a release, and when; <paramref name="FromTags"/> names the instances whose read-back said they would be
/// restored from their tags (the table had no record): only those may be.
/// </summary>
internal sealed record ReleaseRequest(string RequestedBy, DateTimeOffset At, IReadOnlyCollection<string>? FromTags = null);
