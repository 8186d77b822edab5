using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Who asks for an isolation, why, and when; with RequiredTag set, only instances carrying that tag now are touched.
/// VpcHint names the VPCs the read-back saw, so that their groups are read alongside the instances (issue 18); the
/// instances' own VPCs, as described, are what decides. ContainmentRoundTrips is what the read-back's containment plan
/// said the steps before the swap will take, one call after another (null: not read, so every step is assumed).
/// MayChange, given by a turn whose replay claim is still running, is awaited after the reads and before anything is
/// written or changed: false (a replay) means nothing is.
/// </summary>
internal sealed record IsolationRequest(string RequestedBy, string Reason, DateTimeOffset At, TagSelector? RequiredTag = null,
    IReadOnlyCollection<string>? VpcHint = null, int? ContainmentRoundTrips = null, Func<Task<bool>>? MayChange = null);
