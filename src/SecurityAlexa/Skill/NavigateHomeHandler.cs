namespace SecurityAlexa.Skill;

/// <summary>AMAZON.NavigateHomeIntent: back to the start.</summary>
internal sealed class NavigateHomeHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.NavigateHomeIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn)
    {
        turn.State.Pending = null;
        return Task.FromResult(Reply.Ask(turn.Lang.Say("navigateHome"), turn.Lang.Say("reprompt.generic")));
    }
}
