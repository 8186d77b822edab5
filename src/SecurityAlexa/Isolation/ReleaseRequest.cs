namespace SecurityAlexa.Isolation;

/// <summary>Who asks for a release, and when.</summary>
internal sealed record ReleaseRequest(string RequestedBy, DateTimeOffset At);
