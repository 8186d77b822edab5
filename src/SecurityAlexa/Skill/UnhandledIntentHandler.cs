using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>The last handler for intents: a known-good answer for any intent nobody handles.</summary>
internal sealed class UnhandledIntentHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is IntentRequest;

    public Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("unhandledIntent"), turn.Lang.Say("reprompt.generic")).Labelled("unhandled-intent"));
}
