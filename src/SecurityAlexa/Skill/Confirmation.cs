using System.Security.Cryptography;
using System.Text;
using SecurityAlexa.Alexa;
using SecurityAlexa.Security;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Skill;

/// <summary>
/// The one read-back-and-confirm mechanism every mutating capability uses. A "yes" acts only on the
/// pending action stored (signed) when the read-back was spoken, for the same intent, kind and slots.
/// Above CONFIRM_COUNT_ABOVE instances a yes is not enough: the user must say the number back, which
/// arrives in the ConfirmCount slot of the same intent.
/// </summary>
internal static class Confirmation
{
    /// <summary>How long a read-back stays valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Stores the pending action and asks Alexa to confirm the current intent, or, above the configured
    /// size, asks the user to say the number of instances back. A yes/no <paramref name="question"/> is
    /// spoken after the read-back only when a plain yes is what is asked for.
    /// </summary>
    public static Reply Ask(TurnContext turn, PendingAction pending, Spoken readBack, Spoken reprompt, Spoken? question = null)
    {
        var intent = turn.Intent ?? new Intent { Name = pending.Intent };
        // With several accounts or regions, every read-back first says where it will act.
        readBack = Spoken.Join(turn.Scope?.ReadBack, readBack);
        var count = pending.Size;
        var sayCount = count > turn.Security.ConfirmCountAbove ? count : pending.CountToSayBack;
        var updated = SlotEditor.CopyWithout(intent, "NONE", SecurityPolicy.ConfirmCountSlot, SecurityPolicy.SecurityCodeSlot);
        turn.State.Pending = pending with
        {
            Intent = intent.Name ?? pending.Intent,
            ReadBackHash = Hash(readBack.Text),
            ExpiresAt = turn.Now + Validity,
            RequestId = turn.RequestId,
            SpeakerHash = turn.SpeakerHash,
            CountToSayBack = sayCount,
            SlotsHash = SlotsHash(updated),
            Scope = turn.Scope?.Key,
        };
        Record(turn, pending);
        if (sayCount is not null)
        {
            turn.Log.Info("confirmation.count-asked", ("requestId", turn.RequestId), ("action", pending.Kind), ("count", sayCount.Value));
            return Reply.ElicitSlot(
                    Spoken.Join(readBack, turn.Lang.Say("security.confirm.sayCount")),
                    turn.Lang.Say("security.confirm.sayCountReprompt"),
                    SecurityPolicy.ConfirmCountSlot,
                    updated)
                .Labelled("confirm-count-asked");
        }
        return Reply.ConfirmIntent(Spoken.Join(readBack, question), reprompt, updated).Labelled("confirm-asked");
    }

    /// <summary>Judges the current turn for a pending action of the given kind.</summary>
    public static ConfirmationCheck Check(TurnContext turn, string kind)
    {
        var result = Judge(turn, kind);
        if (result is ConfirmationCheck.Confirmed confirmed)
            Record(turn, confirmed.Pending);
        else if (result is ConfirmationCheck.OtherVoice)
            turn.Log.Security("confirmation.other-voice", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("action", kind),
                ("speakerHash", turn.SpeakerHash), ("userHash", turn.UserHash));
        else if (result is ConfirmationCheck.Invalid invalid)
            turn.Log.Security("confirmation.invalid", ("requestId", turn.RequestId), ("intent", turn.IntentName), ("action", kind),
                ("reason", invalid.Reason));
        return result;
    }

    // A large set has no ids in the session: its size and digest go on the record instead.
    private static void Record(TurnContext turn, PendingAction pending)
    {
        var audit = turn.Audit.ForAction(pending.Kind).AddTargets(pending.InstanceIds);
        if (pending.Count is { } count) audit.AddTargetSet(count, pending.Digest);
    }

    private static ConfirmationCheck Judge(TurnContext turn, string kind)
    {
        var status = turn.IntentConfirmation;
        var pending = turn.State.Pending;
        if (status == "DENIED") return new ConfirmationCheck.Denied(pending);
        var saidCount = turn.Slot(SecurityPolicy.ConfirmCountSlot);
        // A number only ever arrives in answer to a count question; with nothing pending it is stale.
        if (saidCount.HasValue && pending is null) return new ConfirmationCheck.Invalid("nothing-pending");
        var countRequired = pending?.CountToSayBack is not null;
        // With a count pending, the number said back is the confirmation; a bare CONFIRMED is not enough.
        if (countRequired ? !saidCount.HasValue && status != "CONFIRMED" : status != "CONFIRMED") return new ConfirmationCheck.NotAsked();
        if (pending is null) return new ConfirmationCheck.Invalid("nothing-pending");
        if (pending.Kind != kind) return new ConfirmationCheck.Invalid("other-kind");
        if (!string.Equals(pending.Intent, turn.IntentName,
            StringComparison.Ordinal)) return new ConfirmationCheck.Invalid("other-intent");
        if (turn.Now > pending.ExpiresAt) return new ConfirmationCheck.Invalid("expired");
        // A yes acts only in the account and region that were read back.
        if (!string.Equals(pending.Scope, turn.Scope?.Key, StringComparison.Ordinal)) return new ConfirmationCheck.Invalid("other-scope");
        // Several allowed voices share a device: a yes binds only the voice that heard what it agrees to.
        // A read-back heard by no recognised voice (possible only with ALLOW_ANY_SPEAKER) binds no one.
        if (pending.SpeakerHash is { } heardBy && !string.Equals(heardBy, turn.SpeakerHash, StringComparison.Ordinal))
            return new ConfirmationCheck.OtherVoice(pending);
        if (pending.SlotsHash is { } readBackSlots && turn.Intent is { } intent && SlotsHash(intent) != readBackSlots)
            return new ConfirmationCheck.Invalid("other-slots");
        if (pending.CountToSayBack is { } expected)
        {
            if (!saidCount.HasValue) return new ConfirmationCheck.Invalid("count-missing");
            if (!SpokenNumber.TryParseCount(saidCount.Value, out var said)
                || said != expected) return new ConfirmationCheck.Invalid("count-mismatch");
        }
        return new ConfirmationCheck.Confirmed(pending);
    }

    /// <summary>
    /// The answer to a yes from another voice: nothing changes, the pending action stays, and the same question is
    /// asked again so that the voice that heard the read-back can still answer it within its validity.
    /// </summary>
    public static Reply RefuseOtherVoice(TurnContext turn, PendingAction pending)
    {
        turn.Audit.Refused("other-voice");
        var intent = turn.Intent ?? new Intent { Name = pending.Intent };
        var again = SlotEditor.CopyWithout(intent, "NONE", SecurityPolicy.ConfirmCountSlot, SecurityPolicy.SecurityCodeSlot);
        var refusal = turn.Lang.Say("security.confirm.otherVoice");
        if (pending.CountToSayBack is not null)
            return Reply.ElicitSlot(Spoken.Join(refusal, turn.Lang.Say("security.confirm.sayCount")),
                turn.Lang.Say("security.confirm.sayCountReprompt"),
                SecurityPolicy.ConfirmCountSlot, again).Labelled("refused-other-voice");
        return Reply.ConfirmIntent(Spoken.Join(refusal, turn.Lang.Say("security.confirm.otherVoiceQuestion")),
            turn.Lang.Say("security.confirm.otherVoiceReprompt"), again)
            .Labelled("refused-other-voice");
    }

    /// <summary>Forgets the pending action (after acting on it, or after a no).</summary>
    public static void Clear(TurnContext turn) => turn.State.Pending = null;

    // The slots the user's words filled, minus the ones the confirmation itself fills.
    private static string SlotsHash(Intent intent)
    {
        var text = new StringBuilder();
        foreach (var (name, slot) in (intent.Slots ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name is SecurityPolicy.ConfirmCountSlot or SecurityPolicy.SecurityCodeSlot) continue;
            var value = slot?.Value ?? slot?.SlotValue?.Value;
            if (string.IsNullOrWhiteSpace(value)) continue;
            text.Append(name).Append('=').Append(value.Trim()).Append('\n');
        }
        return Hash(text.ToString());
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
}
