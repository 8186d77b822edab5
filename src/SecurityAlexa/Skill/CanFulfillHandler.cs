using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>CanFulfillIntentRequest: say whether an intent is ours, without acting.</summary>
internal sealed class CanFulfillHandler(Func<string, bool> isKnownIntent) : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is CanFulfillIntentRequest;

    public Task<Reply> HandleAsync(TurnContext turn)
    {
        var intent = ((CanFulfillIntentRequest)turn.Request).Intent;
        var known = intent?.Name is { } name && isKnownIntent(name);
        var answer = new CanFulfillIntent { CanFulfill = known ? "YES" : "NO" };
        if (intent?.Slots is { Count: > 0 } slots)
        {
            answer.Slots = slots.Keys.ToDictionary(k => k, _ => new CanFulfillSlot
            {
                CanUnderstand = known ? "MAYBE" : "NO",
                CanFulfill = known ? "YES" : "NO",
            });
        }
        return Task.FromResult(Reply.CanFulfillAnswer(answer));
    }
}
