using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Skill;

/// <summary>What a handler wants Alexa to do; the pipeline turns it into a <see cref="SkillResponse"/>.</summary>
internal sealed class Reply
{
    private Reply() { }

    /// <summary>The speech, or empty for a silent response.</summary>
    public Spoken Speech { get; private init; } = Spoken.Empty;

    /// <summary>What to say if the user stays quiet; null ends the turn without a reprompt.</summary>
    public Spoken? Reprompt { get; private init; }

    /// <summary>A card for the Alexa app, for details too long to speak.</summary>
    public Card? Card { get; private set; }

    /// <summary>True ends the session, false keeps it open, null lets Alexa decide (dialog directives).</summary>
    public bool? EndSession { get; private init; }

    /// <summary>Directives to send.</summary>
    public List<Directive> Directives { get; } = [];

    /// <summary>True for the empty response SessionEnded and ExceptionEncountered require.</summary>
    public bool Silent { get; private init; }

    /// <summary>The CanFulfillIntent answer, when this replies to a CanFulfillIntentRequest.</summary>
    public CanFulfillIntent? CanFulfill { get; private init; }

    /// <summary>A label for the log: what happened ("ok", "refused", "error", ...).</summary>
    public string Outcome { get; private set; } = "ok";

    /// <summary>Says something and ends the session.</summary>
    public static Reply Tell(Spoken speech) => new() { Speech = speech, EndSession = true };

    /// <summary>Says something and keeps listening.</summary>
    public static Reply Ask(Spoken speech, Spoken reprompt) => new() { Speech = speech, Reprompt = reprompt, EndSession = false };

    /// <summary>Asks for one slot of the current intent with the skill's own question.</summary>
    public static Reply ElicitSlot(Spoken question, Spoken reprompt, string slot, Intent intent)
    {
        var reply = new Reply { Speech = question, Reprompt = reprompt, EndSession = false };
        reply.Directives.Add(new DialogElicitSlot { SlotToElicit = slot, UpdatedIntent = Echo(intent) });
        return reply;
    }

    /// <summary>Reads back an action and asks for a yes; the answer returns as the same intent, CONFIRMED or DENIED.</summary>
    public static Reply ConfirmIntent(Spoken readBack, Spoken reprompt, Intent intent)
    {
        var reply = new Reply { Speech = readBack, Reprompt = reprompt, EndSession = false };
        reply.Directives.Add(new DialogConfirmIntent { UpdatedIntent = Echo(intent) });
        return reply;
    }

    /// <summary>Hands the next dialog step to Alexa's dialog model.</summary>
    public static Reply Delegate(Intent? updatedIntent)
    {
        var reply = new Reply();
        reply.Directives.Add(new DialogDelegate { UpdatedIntent = Echo(updatedIntent) });
        return reply;
    }

    // Amazon's response model (ask-sdk-model Intent and Slot) requires confirmationStatus and has no slot "source",
    // which requests carry; an intent echoed back in a directive is therefore copied into that shape.
    private static Intent? Echo(Intent? intent) => intent is null ? null : new Intent
    {
        Name = intent.Name,
        ConfirmationStatus = intent.ConfirmationStatus ?? "NONE",
        Slots = intent.Slots?.ToDictionary(p => p.Key, p => new Slot
        {
            Name = p.Value?.Name ?? p.Key,
            Value = p.Value?.Value,
            ConfirmationStatus = p.Value?.ConfirmationStatus ?? "NONE",
            Resolutions = p.Value?.Resolutions,
            SlotValue = p.Value?.SlotValue,
        }, StringComparer.Ordinal),
    };

    /// <summary>An empty response.</summary>
    public static Reply None() => new() { Silent = true };

    /// <summary>An answer to CanFulfillIntentRequest.</summary>
    public static Reply CanFulfillAnswer(CanFulfillIntent answer) => new() { Silent = true, CanFulfill = answer };

    /// <summary>Adds a Simple card.</summary>
    public Reply WithCard(string title, string content)
    {
        Card = Card.Simple(title, content);
        return this;
    }

    /// <summary>Adds a directive.</summary>
    public Reply With(Directive directive)
    {
        Directives.Add(directive);
        return this;
    }

    /// <summary>Labels the outcome for the log.</summary>
    public Reply Labelled(string outcome)
    {
        Outcome = outcome;
        return this;
    }
}
