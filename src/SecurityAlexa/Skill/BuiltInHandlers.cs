using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>"Alexa, open security assistant."</summary>
internal sealed class LaunchHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is LaunchRequest;

    public Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("launch"), turn.Lang.Say("launch.reprompt")));
}

/// <summary>AMAZON.HelpIntent: examples of what to say.</summary>
internal sealed class HelpHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.HelpIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("help"), turn.Lang.Say("help.reprompt")));
}

/// <summary>AMAZON.StopIntent and AMAZON.CancelIntent: drop anything pending and say goodbye.</summary>
internal sealed class StopHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.StopIntent", "AMAZON.CancelIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn)
    {
        var hadPending = turn.State.Pending is not null;
        turn.State.Pending = null;
        var speech = hadPending ? turn.Lang.Say("cancelled") : turn.Lang.Say("goodbye");
        return Task.FromResult(Reply.Tell(speech));
    }
}

/// <summary>AMAZON.FallbackIntent: the words matched nothing.</summary>
internal sealed class FallbackHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.FallbackIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("fallback"), turn.Lang.Say("reprompt.generic")));
}

/// <summary>AMAZON.NavigateHomeIntent: back to the start.</summary>
internal sealed class NavigateHomeHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.NavigateHomeIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn)
    {
        turn.State.Pending = null;
        return Task.FromResult(Reply.Ask(turn.Lang.Say("navigateHome"), turn.Lang.Say("reprompt.generic")));
    }
}

/// <summary>A bare "yes" or "no": confirmations come back as their own intent, so here nothing is pending.</summary>
internal sealed class YesNoHandler : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.YesIntent", "AMAZON.NoIntent"];

    public override Task<Reply> HandleAsync(TurnContext turn)
    {
        // A pending action is only ever carried out through its own confirmed intent, never a bare yes.
        var key = turn.IntentName == "AMAZON.YesIntent" ? "yes.nothingPending" : "no.nothingPending";
        turn.State.Pending = null;
        return Task.FromResult(Reply.Ask(turn.Lang.Say(key), turn.Lang.Say("reprompt.generic")).Labelled("nothing-pending"));
    }
}

/// <summary>SessionEndedRequest: logged with its reason and error; no speech is allowed.</summary>
internal sealed class SessionEndedHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is SessionEndedRequest;

    public Task<Reply> HandleAsync(TurnContext turn)
    {
        var ended = (SessionEndedRequest)turn.Request;
        // An error here means Alexa rejected one of our responses: worth a warning, not just a note.
        turn.Log.Write(ended.Error is null ? "INFO" : "WARN", "session.ended", ("requestId", turn.RequestId), ("reason", ended.Reason),
            ("errorType", ended.Error?.Type), ("errorMessage", ended.Error?.Message));
        return Task.FromResult(Reply.None());
    }
}

/// <summary>System.ExceptionEncountered: Alexa rejected an earlier response; log it and answer empty.</summary>
internal sealed class ExceptionEncounteredHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is SystemExceptionRequest;

    public Task<Reply> HandleAsync(TurnContext turn)
    {
        var request = (SystemExceptionRequest)turn.Request;
        turn.Log.Error("alexa.exception", ("requestId", turn.RequestId), ("errorType", request.Error?.Type),
            ("errorMessage", request.Error?.Message), ("causeRequestId", request.Cause?.RequestId));
        return Task.FromResult(Reply.None());
    }
}

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

/// <summary>The last handler for intents: a known-good answer for any intent nobody handles.</summary>
internal sealed class UnhandledIntentHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is IntentRequest;

    public Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Ask(turn.Lang.Say("unhandledIntent"), turn.Lang.Say("reprompt.generic")).Labelled("unhandled-intent"));
}

/// <summary>The last handler of all: request types the skill does not know.</summary>
internal sealed class UnknownRequestHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => true;

    public Task<Reply> HandleAsync(TurnContext turn) =>
        Task.FromResult(Reply.Tell(turn.Lang.Say("unknownRequest")).Labelled("unknown-request"));
}
