namespace SecurityAlexa.Skill;

/// <summary>A handler that only gives an answer already decided (a question or a refusal); it changes nothing.</summary>
internal sealed class AnswerHandler(Reply reply) : IRequestHandler
{
    /// <inheritdoc />
    public bool CanHandle(TurnContext turn) => true;

    /// <inheritdoc />
    public Task<Reply> HandleAsync(TurnContext turn) => Task.FromResult(reply);
}
