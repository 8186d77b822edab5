using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Support;

/// <summary>A request handler made from a function, for pipeline tests; counts how often it ran.</summary>
internal sealed class DelegateHandler(Func<TurnContext, bool> canHandle, Func<TurnContext, Task<Reply>> handle) : IRequestHandler
{
    private int _calls;

    /// <summary>A handler for one intent name.</summary>
    public static DelegateHandler ForIntent(string intent, Func<TurnContext, Task<Reply>> handle) =>
        new(turn => turn.IntentName == intent, handle);

    /// <summary>A handler for one intent name that answers synchronously.</summary>
    public static DelegateHandler ForIntent(string intent, Func<TurnContext, Reply> handle) =>
        new(turn => turn.IntentName == intent, turn => Task.FromResult(handle(turn)));

    /// <summary>A handler that claims every request.</summary>
    public static DelegateHandler Everything(Func<TurnContext, Task<Reply>> handle) => new(_ => true, handle);

    public int Calls => Volatile.Read(ref _calls);

    public bool CanHandle(TurnContext turn) => canHandle(turn);

    public Task<Reply> HandleAsync(TurnContext turn)
    {
        Interlocked.Increment(ref _calls);
        return handle(turn);
    }
}
