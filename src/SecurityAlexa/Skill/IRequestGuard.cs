namespace SecurityAlexa.Skill;

/// <summary>A check that runs after routing and before the chosen handler, such as speaker authorisation.</summary>
internal interface IRequestGuard
{
    /// <summary>Returns a reply to refuse the request, or null to let the handler run.</summary>
    ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler);
}
