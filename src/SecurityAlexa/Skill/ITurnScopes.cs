namespace SecurityAlexa.Skill;

/// <summary>
/// Chooses where a turn acts once its guards have passed, and the handler that acts there. The composition root
/// provides it only when more than one account or region is configured; without it every turn acts at home.
/// </summary>
internal interface ITurnScopes
{
    /// <summary>
    /// Sets <see cref="TurnContext.Scope"/> and returns the handler to run: the routed handler's counterpart in the
    /// chosen scope, or one that only answers (an unknown account, a question about which one) and changes nothing.
    /// </summary>
    Task<IRequestHandler> ChooseAsync(TurnContext turn, IRequestHandler routed);
}
