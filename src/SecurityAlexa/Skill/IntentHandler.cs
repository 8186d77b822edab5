namespace SecurityAlexa.Skill;

/// <summary>A handler for one or more named intents, which declares what it reads and whether it changes AWS.</summary>
internal abstract class IntentHandler : IRequestHandler
{
    /// <summary>The intents this handler answers.</summary>
    public abstract IReadOnlyList<string> Intents { get; }

    /// <summary>The slots this handler reads; the interaction model must define them on its intents.</summary>
    public virtual IReadOnlyList<string> SlotsRead => [];

    /// <summary>True when the handler can change the AWS account (security rules apply to these).</summary>
    public virtual bool Mutates => false;

    /// <inheritdoc />
    public virtual bool CanHandle(TurnContext turn) =>
        turn.IntentName is { } name && Intents.Contains(name, StringComparer.Ordinal);

    /// <inheritdoc />
    public abstract Task<Reply> HandleAsync(TurnContext turn);
}
