namespace SecurityAlexa.Skill;

/// <summary>One step of the routing chain: the first handler whose CanHandle is true answers the request.</summary>
internal interface IRequestHandler
{
    /// <summary>True when this handler answers the request.</summary>
    bool CanHandle(TurnContext turn);

    /// <summary>Answers the request.</summary>
    Task<Reply> HandleAsync(TurnContext turn);
}
