namespace SecurityAlexa.Skill;

/// <summary>A bare "yes" or "no": confirmations come back as their own intent, so here nothing is pending.</summary>
internal sealed class YesNoHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.YesIntent", "AMAZON.NoIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn)
    {
        // A pending action is only ever carried out through its own confirmed intent, never a bare yes.
        var key = turn.IntentName == "AMAZON.YesIntent" ? "yes.nothingPending" : "no.nothingPending";
        turn.State.Pending = null;
        return Task.FromResult(Reply.Ask(turn.Lang.Say(key), turn.Lang.Say("reprompt.generic")).Labelled("nothing-pending"));
    }
}
