using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Bootstrap;

/// <summary>
/// Builds the JSON metadata every invocation needs (the request, the response, the session state) on a second thread
/// while the main thread starts the HTTP stack and asks the Runtime API for the first invocation. Source-generated
/// metadata is still configured on first use, and for these graphs that is a few milliseconds of a cold start.
/// </summary>
public static class StartupWarmUp
{
    /// <summary>Starts the warm-up; failures are ignored, because the first request builds the same metadata anyway.</summary>
    public static Task Start() => Task.Run(static () =>
    {
        try
        {
            _ = AlexaJsonContext.Default.SkillRequest;
            _ = AlexaJsonContext.Wire.SkillResponse;
            _ = SkillJsonContext.Default.SignedState;
            _ = SkillJsonContext.Default.SessionState;
            _ = SkillJsonContext.Wire.SignedState;
            _ = SkillJsonContext.Wire.SessionState;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
        }
    });
}
