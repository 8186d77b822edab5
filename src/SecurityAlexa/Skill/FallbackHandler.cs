namespace SecurityAlexa.Skill;

/// <summary>AMAZON.FallbackIntent: the words matched nothing.</summary>
internal sealed class FallbackHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.FallbackIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("fallback"), turn.Lang.Say("reprompt.generic")));
}
