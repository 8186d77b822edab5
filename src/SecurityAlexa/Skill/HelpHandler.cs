namespace SecurityAlexa.Skill;

/// <summary>AMAZON.HelpIntent: examples of what to say.</summary>
internal sealed class HelpHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.HelpIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("help"), turn.Lang.Say("help.reprompt")));
}
