using System.Security.Cryptography;
using System.Text;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Skill;

/// <summary>Where a mutating intent stands in its read-back-and-confirm exchange.</summary>
public abstract record ConfirmationCheck
{
    private ConfirmationCheck() { }

    /// <summary>Nothing has been read back yet: resolve, read back, ask.</summary>
    public sealed record NotAsked : ConfirmationCheck;

    /// <summary>The user said no: drop the pending action, change nothing.</summary>
    public sealed record Denied(PendingAction? Pending) : ConfirmationCheck;

    /// <summary>The user said yes to exactly this pending action.</summary>
    public sealed record Confirmed(PendingAction Pending) : ConfirmationCheck;

    /// <summary>A yes that cannot be trusted (nothing pending, another action, expired): read back again.</summary>
    public sealed record Invalid(string Reason) : ConfirmationCheck;
}

/// <summary>
/// The one read-back-and-confirm mechanism every mutating capability uses. A "yes" acts only on the
/// pending action stored (signed) when the read-back was spoken, for the same intent and kind.
/// </summary>
public static class Confirmation
{
    /// <summary>How long a read-back stays valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(3);

    /// <summary>Stores the pending action and asks Alexa to confirm the current intent.</summary>
    public static Reply Ask(TurnContext turn, PendingAction pending, Spoken readBack, Spoken reprompt)
    {
        var intent = turn.Intent ?? new Intent { Name = pending.Intent };
        turn.State.Pending = pending with
        {
            Intent = intent.Name ?? pending.Intent,
            ReadBackHash = Hash(readBack.Text),
            ExpiresAt = turn.Now + Validity,
            RequestId = turn.RequestId,
        };
        var updated = new Intent { Name = intent.Name, ConfirmationStatus = "NONE", Slots = intent.Slots };
        return Reply.ConfirmIntent(readBack, reprompt, updated).Labelled("confirm-asked");
    }

    /// <summary>Judges the current turn for a pending action of the given kind.</summary>
    public static ConfirmationCheck Check(TurnContext turn, string kind)
    {
        var status = turn.IntentConfirmation;
        var pending = turn.State.Pending;
        if (status == "DENIED") return new ConfirmationCheck.Denied(pending);
        if (status != "CONFIRMED") return new ConfirmationCheck.NotAsked();
        if (pending is null) return new ConfirmationCheck.Invalid("nothing-pending");
        if (pending.Kind != kind) return new ConfirmationCheck.Invalid("other-kind");
        if (!string.Equals(pending.Intent, turn.IntentName, StringComparison.Ordinal)) return new ConfirmationCheck.Invalid("other-intent");
        if (turn.Now > pending.ExpiresAt) return new ConfirmationCheck.Invalid("expired");
        return new ConfirmationCheck.Confirmed(pending);
    }

    /// <summary>Forgets the pending action (after acting on it, or after a no).</summary>
    public static void Clear(TurnContext turn) => turn.State.Pending = null;

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
}
