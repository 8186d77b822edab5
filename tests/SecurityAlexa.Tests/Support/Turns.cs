using System.Text.Json;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tests.Support;

/// <summary>Builds a <see cref="TurnContext"/> from an Alexa request, for testing a handler or helper without the pipeline.</summary>
internal static class Turns
{
    private static readonly SpeechCatalog Speech = SpeechCatalog.LoadEmbedded();

    public static TurnContext From(AlexaRequests request, SessionState? state = null, TimeProvider? time = null)
    {
        var envelope = JsonSerializer.Deserialize(request.Json, AlexaJsonContext.Default.SkillRequest)!;
        time ??= TimeProvider.System;
        return new TurnContext(envelope, envelope.Request!, Speech.For("en-US"), state ?? new SessionState(), CancellationToken.None)
        {
            Log = new SkillLog(new MemoryLogSink(), time),
            Now = time.GetUtcNow(),
            Time = time,
        };
    }
}
