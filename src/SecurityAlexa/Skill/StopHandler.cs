namespace SecurityAlexa.Skill;

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
