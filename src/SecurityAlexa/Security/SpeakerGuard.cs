using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>
/// Who may speak: ALLOWED_USERS limits which Amazon accounts the skill serves at all (in Lambda, no list
/// serves no one); ALLOWED_SPEAKERS lists the voice profiles that may run mutating intents. No list means no
/// one may change anything. A refusal's card shows the hash to enrol, so that setting up needs no log access.
/// </summary>
internal sealed class SpeakerGuard(SecuritySettings settings) : IRequestGuard
{
    /// <inheritdoc />
    public ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        if (SecurityModule.MustStaySilent(turn)) return default;
        // The account check applies to CanFulfillIntentRequest too (answered NO), so an account not served cannot probe the skill.
        if (settings.AllowedUsers is { } users && (turn.UserHash is null || !users.Contains(turn.UserHash)))
        {
            var none = users.Count == 0;
            turn.Log.Security(none ? "user.no-allow-list" : "user.refused", ("requestId", turn.RequestId), ("intent", turn.IntentName),
                ("userHash", turn.UserHash));
            var refusal = SecurityModule.Refuse(turn, none ? "no-user-allow-list" : "user",
                turn.Lang.Say(none ? "security.noUserAllowList" : "security.userNotAllowed"));
            return new(turn.UserHash is { } account && turn.Request is not CanFulfillIntentRequest
                ? refusal.WithCard(turn.Lang.Text("card.title"), turn.Lang.Text("security.card.accountId", ("hash", account)))
                : refusal);
        }
        // A CanFulfillIntentRequest only asks whether an intent is ours: it never acts, so there is no voice to check.
        if (turn.Request is CanFulfillIntentRequest) return default;
        if (!SecurityPolicy.IsMutating(turn, handler) || settings.AllowAnySpeaker) return default;

        if (turn.SpeakerHash is not { } speaker)
        {
            turn.Log.Security("speaker.unrecognised", ("requestId", turn.RequestId), ("intent", turn.IntentName),
                ("userHash", turn.UserHash));
            return new(SecurityModule.Refuse(turn, "no-speaker", turn.Lang.Say("security.noVoiceProfile"))
                .WithCard(turn.Lang.Text("card.title"), turn.Lang.Text("security.card.voiceProfile")));
        }
        if (settings.AllowedSpeakers.Count == 0)
        {
            turn.Log.Security("speaker.no-allow-list", ("requestId", turn.RequestId), ("intent", turn.IntentName),
                ("speakerHash", speaker));
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
