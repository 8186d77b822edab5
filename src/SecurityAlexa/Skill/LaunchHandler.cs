using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>"Alexa, open security assistant."</summary>
internal sealed class LaunchHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is LaunchRequest;

    public Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("launch"), turn.Lang.Say("launch.reprompt")));
}
