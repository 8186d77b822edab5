namespace SecurityAlexa.Skill;

/// <summary>The last handler of all: request types the skill does not know.</summary>
internal sealed class UnknownRequestHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => true;

    public Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Tell(turn.Lang.Say("unknownRequest")).Labelled("unknown-request"));
}
