using SecurityAlexa.Skill;

namespace SecurityAlexa.Accounts;

/// <summary>
/// A handler chosen for one account and region: its card, if it has one, starts with where it acted (<see cref="ScopeLabels.Card"/>),
/// once for every capability rather than in each of them.
/// </summary>
internal sealed class InScope(IRequestHandler handler, string cardLine) : IRequestHandler
{
    /// <summary>The handler that answers.</summary>
    public IRequestHandler Handler => handler;

    /// <inheritdoc />
    public bool CanHandle(TurnContext turn) => handler.CanHandle(turn);

    /// <inheritdoc />
    public async Task<Reply> HandleAsync(TurnContext turn)
    {
        var reply = await handler.HandleAsync(turn).ConfigureAwait(false);
        if (reply.Card is { } card && !card.Body.StartsWith(cardLine, StringComparison.Ordinal))
            reply.WithCard(card.Title ?? "", cardLine + "\n" + card.Body);
        return reply;
    }
}
