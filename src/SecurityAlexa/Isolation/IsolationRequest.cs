using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>Who asks for an isolation, why, and when; with RequiredTag set, only instances carrying that tag now are touched.</summary>
internal sealed record IsolationRequest(string RequestedBy, string Reason, DateTimeOffset At, TagSelector? RequiredTag = null);
