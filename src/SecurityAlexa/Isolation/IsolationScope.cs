namespace SecurityAlexa.Isolation;

/// <summary>
/// The account and region an isolator acts in, when more than one is configured: written on every record it begins
/// and on every unit it hands to the queue, so that whoever finishes the work (a queued unit, the sweeper) does it there.
/// </summary>
/// <param name="Key">The scope's key (<c>accountId/region</c>), as work items carry it.</param>
/// <param name="AccountId">The 12-digit account id.</param>
/// <param name="Region">The region's code.</param>
internal sealed record IsolationScope(string Key, string AccountId, string Region);
