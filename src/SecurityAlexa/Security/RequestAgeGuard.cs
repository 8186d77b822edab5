using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>Refuses requests whose timestamp is more than 150 s away from now, and mutating requests without one.</summary>
internal sealed class RequestAgeGuard(SecuritySettings settings) : IRequestGuard
{
    /// <inheritdoc />
    public ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        // SessionEnded and ExceptionEncountered change nothing and get an empty answer either way; refusing them would only lose their
        // log.
        if (settings.AgeCheck == RequestAgeCheck.Off || SecurityModule.MustStaySilent(turn)) return default;
        var mutating = SecurityPolicy.IsMutating(turn, handler);
        if (turn.Request.Timestamp is not { } stamp)
        {
            if (!mutating) return default;
            turn.Log.Security("request.no-timestamp", ("requestId", turn.RequestId), ("intent", turn.IntentName),
                ("userHash", turn.UserHash));
            return new(SecurityModule.Refuse(turn, "no-timestamp", turn.Lang.Say("security.noTimestamp")));
        }
        if (!mutating && settings.AgeCheck == RequestAgeCheck.Mutating) return default;
        var skew = turn.Now - stamp;
        if (skew.Duration() <= settings.MaxRequestAge) return default;
        turn.Log.Security("request.stale", ("requestId", turn.RequestId), ("intent", turn.IntentName),
            ("skewSeconds", Math.Round(skew.TotalSeconds)),
            ("userHash", turn.UserHash));
        return new(SecurityModule.Refuse(turn, "stale", turn.Lang.Say("security.stale")));
    }
}
