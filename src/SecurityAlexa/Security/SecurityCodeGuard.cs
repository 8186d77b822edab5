using SecurityAlexa.Alexa;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.State;

namespace SecurityAlexa.Security;

/// <summary>
/// The spoken security code. For mutating intents (SECURITY_CODE=mutating) the code is elicited on the
/// current intent's SecurityCode slot, checked against the peppered PBKDF2 hash that a SecureString holds
/// encrypted under the stack's KMS key, and remembered as verified in the signed session state for a few
/// minutes. Wrong codes are counted per speaker and in total in the state table, lock mutating intents out
/// (see <see cref="Lockouts"/>), and each is posted to the chat channel. The slot is emptied from the intent
/// on every request before any handler sees it, so the code is never echoed, stored, posted or logged.
/// </summary>
internal sealed class SecurityCodeGuard(SecuritySettings settings, IParameterStore? store, ICodeHashKey? key, IStateTable? table,
    IChatNotifier? chat) : IRequestGuard
{
    private readonly Lockouts? _lockouts = table is null ? null : new Lockouts(table, settings);
    private readonly SecurityCodeSource? _code = store is null ? null : new SecurityCodeSource(store, key, settings);

    /// <inheritdoc />
    public async ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        var heard = SlotEditor.Take(turn.Intent, SecurityPolicy.SecurityCodeSlot);
        if (settings.CodeMode == SecurityCodeMode.Off || !SecurityPolicy.IsMutating(turn, handler)) return null;

        var who = turn.SpeakerHash ?? turn.UserHash ?? "anonymous";
        if (turn.State.Security is { } verified && verified.Who == who && verified.VerifiedUntil > turn.Now)
        {
            turn.Audit.Code("remembered");
            return null;
        }
        if (_lockouts is null || _code is null)
        {
            turn.Audit.Code("unavailable");
            turn.Log.Error("security-code.no-store", ("requestId", turn.RequestId));
            return SecurityModule.Refuse(turn, "security-code", turn.Lang.Say("security.code.notSet"));
        }

        var ct = turn.Cancellation;
        var record = await _lockouts.ReadAsync(who, turn.Now, ct).ConfigureAwait(false);
        if (record.LockedUntil is { } lockedUntil)
        {
            turn.Audit.Code("locked");
            turn.Log.Security("security-code.locked", ("requestId", turn.RequestId), ("who", who), ("lockedUntil", lockedUntil),
                ("everyone", record.Everyone));
            return SecurityModule.Refuse(turn, "lockout",
                turn.Lang.Say(record.Everyone ? "security.code.lockedEveryone" : "security.code.locked",
                ("duration", turn.Lang.Duration(lockedUntil - turn.Now))));
        }
        if (heard is null)
        {
            turn.Audit.Code("asked");
            return Elicit(turn, "security.code.ask");
        }
        if (SpokenNumber.FourDigits(heard) is not { } code)
        {
            // Something that is not four digits was misheard, not guessed: ask again without counting it.
            turn.Audit.Code("unclear");
            return Elicit(turn, "security.code.unclear");
        }

        var stored = settings.CodePepper is null ? null : await _code.GetAsync(turn.Now, ct).ConfigureAwait(false);
        if (stored?.Hash is not { } hash || settings.CodePepper is not { } pepper)
        {
            turn.Audit.Code("unavailable");
            turn.Log.Error("security-code.not-configured", ("requestId", turn.RequestId), ("parameter", settings.CodeParameter),
                ("status", stored?.Status ?? "no-pepper"));
            return SecurityModule.Refuse(turn, "security-code", turn.Lang.Say("security.code.notSet"));
        }

        if (SecurityCodeHash.Verify(code, hash, pepper.Value))
        {
            if (record.Failures > 0) await _lockouts.ClearAsync(who, turn.Now, ct).ConfigureAwait(false);
            turn.State.Security = new SecuritySessionState { Who = who, VerifiedUntil = turn.Now + settings.VerifiedFor };
            turn.Audit.Code("verified");
            turn.Log.Security("security-code.verified", ("requestId", turn.RequestId), ("who", who));
            return null;
        }

        var next = await _lockouts.RecordFailureAsync(who, record, turn.Now, ct).ConfigureAwait(false);
        turn.Log.Security("security-code.wrong", ("requestId", turn.RequestId), ("who", who), ("failures", next.Failures),
            ("locked", next.LockedUntil is not null), ("level", next.Level));
        if (next.EveryoneLockedNow)
            turn.Log.Security("security-code.locked-everyone", ("requestId", turn.RequestId), ("who", who),
                ("limit", settings.MaxTotalCodeAttempts));
        await AlertAsync(turn, next).ConfigureAwait(false);
        if (next.LockedUntil is { } until)
        {
            turn.Audit.Code("locked");
            return SecurityModule.Refuse(turn, "lockout",
                turn.Lang.Say(next.Everyone ? "security.code.lockedEveryone" : "security.code.lockedNow",
                ("duration", turn.Lang.Duration(until - turn.Now))));
        }
        turn.Audit.Code("wrong");
        return Elicit(turn, "security.code.wrong");
    }

    // Every wrong code reaches the team, whether or not it locked anything: a guess is worth knowing about.
    // The post says who, for what and what followed, never a digit of what was said.
    private async Task AlertAsync(TurnContext turn, LockoutRecord next)
    {
        if (chat is null) return;
        var text = turn.Lang.Text(next.LockedUntil is not null
                ? next.Everyone ? "security.chat.wrongCodeEveryone" : "security.chat.wrongCodeLocked"
                : "security.chat.wrongCode",
            ("who", ChatPost.Speaker(turn)), ("intent", turn.IntentName ?? "?"), ("failures", next.Failures),
            ("duration", turn.Lang.Duration((next.LockedUntil ?? turn.Now) - turn.Now)));
        await ChatPost.PostAsync(turn, chat, text).ConfigureAwait(false);
    }

    private static Reply Elicit(TurnContext turn, string key)
    {
        var intent = SlotEditor.CopyWithout(turn.Intent ?? new Intent { Name = turn.IntentName }, null, SecurityPolicy.SecurityCodeSlot);
        return Reply.ElicitSlot(turn.Lang.Say(key), turn.Lang.Say("security.code.reprompt"), SecurityPolicy.SecurityCodeSlot, intent)
            .Labelled("security-code-asked");
    }
}
