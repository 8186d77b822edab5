namespace SecurityAlexa.Isolation;

/// <summary>
/// Who asks for a release, and when; <paramref name="FromTags"/> names the instances whose read-back said they would be
/// restored from their tags (the table had no record): only those may be. <paramref name="VpcHint"/> names the VPCs the
/// read-back saw, so that their groups are read alongside the instances; <paramref name="MayChange"/>, given by a turn whose
/// replay claim is still running, is awaited after the reads and before anything is written or changed (false: nothing is).
/// </summary>
internal sealed record ReleaseRequest(string RequestedBy, DateTimeOffset At, IReadOnlyCollection<string>? FromTags = null,
    IReadOnlyCollection<string>? VpcHint = null, Func<Task<bool>>? MayChange = null);
