using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Security;

/// <summary>
/// Turns a failed state table or Parameter Store call inside a guard into a refusal that says what failed and that
/// nothing changed. A security check that cannot run never lets the request through.
/// </summary>
internal sealed class FailClosedGuard(IRequestGuard inner) : IRequestGuard
{
    /// <summary>The guard this one protects.</summary>
    public IRequestGuard Inner { get; } = inner;

    /// <inheritdoc />
    public async ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        try
        {
            return await Inner.CheckAsync(turn, handler).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            turn.Log.Error("security.check-failed", ("requestId", turn.RequestId), ("guard", Inner.GetType().Name),
                ("operation", e.Operation), ("failure", e.Failure.ToString()), ("errorCode", e.ErrorCode));
            return SecurityModule.Refuse(turn, "check-failed",
                Spoken.Join(turn.Lang.Say("security.checkFailed"), ErrorSpeech.ForAws(turn.Lang, e)))
                .Labelled("security-aws-" + e.Failure.ToString().ToLowerInvariant());
        }
    }
}

/// <summary>Refuses requests whose timestamp is more than 150 s away from now, and mutating requests without one.</summary>
internal sealed class RequestAgeGuard(SecuritySettings settings) : IRequestGuard
{
    /// <inheritdoc />
    public ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        // SessionEnded and ExceptionEncountered change nothing and get an empty answer either way; refusing them would only lose their log.
        if (settings.AgeCheck == RequestAgeCheck.Off || SecurityModule.MustStaySilent(turn)) return default;
        var mutating = SecurityPolicy.IsMutating(turn, handler);
        if (turn.Request.Timestamp is not { } stamp)
        {
            if (!mutating) return default;
            turn.Log.Security("request.no-timestamp", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("userHash", turn.UserHash));
            return new(SecurityModule.Refuse(turn, "no-timestamp", turn.Lang.Say("security.noTimestamp")));
        }
        if (!mutating && settings.AgeCheck == RequestAgeCheck.Mutating) return default;
        var skew = turn.Now - stamp;
        if (skew.Duration() <= settings.MaxRequestAge) return default;
        turn.Log.Security("request.stale", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("skewSeconds", Math.Round(skew.TotalSeconds)),
            ("userHash", turn.UserHash));
        return new(SecurityModule.Refuse(turn, "stale", turn.Lang.Say("security.stale")));
    }
}

/// <summary>
/// Who may speak: ALLOWED_USERS limits which Amazon accounts the skill serves at all; ALLOWED_SPEAKERS
/// lists the voice profiles that may run mutating intents. No list means no one may change anything.
/// </summary>
internal sealed class SpeakerGuard(SecuritySettings settings) : IRequestGuard
{
    /// <inheritdoc />
    public ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        if (SecurityModule.MustStaySilent(turn) || turn.Request is CanFulfillIntentRequest) return default;
        if (settings.AllowedUsers is { } users && (turn.UserHash is null || !users.Contains(turn.UserHash)))
        {
            turn.Log.Security("user.refused", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("userHash", turn.UserHash));
            return new(SecurityModule.Refuse(turn, "user", turn.Lang.Say("security.userNotAllowed")));
        }
        if (!SecurityPolicy.IsMutating(turn, handler) || settings.AllowAnySpeaker) return default;

        if (turn.SpeakerHash is not { } speaker)
        {
            turn.Log.Security("speaker.unrecognised", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("userHash", turn.UserHash));
            return new(SecurityModule.Refuse(turn, "no-speaker", turn.Lang.Say("security.noVoiceProfile"))
                .WithCard(turn.Lang.Text("card.title"), turn.Lang.Text("security.card.voiceProfile")));
        }
        if (settings.AllowedSpeakers.Count == 0)
        {
            turn.Log.Security("speaker.no-allow-list", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("speakerHash", speaker));
            return new(SecurityModule.Refuse(turn, "no-allow-list", turn.Lang.Say("security.noAllowList"))
                .WithCard(turn.Lang.Text("card.title"), turn.Lang.Text("security.card.voiceId", ("hash", speaker))));
        }
        if (!settings.AllowedSpeakers.Contains(speaker))
        {
            turn.Log.Security("speaker.refused", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("speakerHash", speaker),
                ("userHash", turn.UserHash));
            return new(SecurityModule.Refuse(turn, "speaker", turn.Lang.Say("security.speakerNotAllowed"))
                .WithCard(turn.Lang.Text("card.title"), turn.Lang.Text("security.card.voiceId", ("hash", speaker))));
        }
        return default;
    }
}
