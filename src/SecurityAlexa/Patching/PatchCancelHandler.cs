using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>"Cancel" while "which ones should I patch?" is open: forget the question and say that nothing changed.</summary>
internal sealed class PatchCancelHandler : IntentHandler
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["AMAZON.CancelIntent", "AMAZON.StopIntent"];

    /// <inheritdoc />
    public override bool CanHandle(TurnContext turn) => base.CanHandle(turn) && turn.State.Patch?.Choosing is not null;

    /// <inheritdoc />
    public override Task<Reply> HandleAsync(TurnContext turn)
    {
        var memory = turn.State.Patch!;
        var offered = memory.Choosing!.Offered;
        turn.State.Patch = memory with { Choosing = null };
        turn.State.Pending = null;
        PatchAudit.Write(turn, "patch", "cancelled", offered.InstanceIds);
        // A large group offered without its ids is recorded by tag, count and digest.
        if (offered is { IdsOmitted: true, TagKey: { } key, TagValue: { } value }) PatchAudit.TagSet(turn, key, value, offered.Size,
            offered.Digest);
        return Task.FromResult(Reply.Tell(turn.Lang.Say("patch.declined")).Labelled("patch-cancelled"));
    }
}
