using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.State;

namespace SecurityAlexa.Patching;

/// <summary>
/// Patch-command references in the state table (docs/state.md, <c>patch-command</c> and <c>patch-latest</c>). A reference
/// (patch#{ref}#{part}) is claimed with a conditional put before SendCommand, alongside the re-check of the targets, so
/// that one confirmation handled by two containers is sent at most once; it gets the command id as soon as anyone learns it,
/// so that an unknown outcome and status find the command without ListCommands, whose one page may not reach it.
/// </summary>
internal sealed class PatchReferences(IStateTable table)
{
    /// <summary>How long a reference is kept after its send.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);

    private const string CommentAttr = "comment", CommandIdAttr = "commandId", StateAttr = "state", TargetsAttr = "targets",
        SentAtAttr = "sentAt", ReferenceAttr = "ref", CommandIdsAttr = "commandIds";

    /// <summary>The reference's states: being sent, sent (id known), outcome unknown, and certainly not sent (free again).</summary>
    public const string Sending = "sending", Sent = "sent", Unknown = "unknown", NotSent = "not-sent";

    /// <summary>
    /// Claims a command's reference (part <paramref name="part"/> of the run) before it is sent. Never throws: a table
    /// failure, or the turn running out of time, is a claim with a <see cref="PatchClaim.Failure"/>.
    /// </summary>
    public async Task<PatchClaim> ClaimAsync(TurnContext turn, string reference, int part)
    {
        var key = StateKeys.PatchCommand(reference, part);
        var item = new StateItem(key, new Dictionary<string, StateValue>(StringComparer.Ordinal)
        {
            [StateItem.KindAttribute] = StateValue.Of("patch-command"),
            [ReferenceAttr] = StateValue.Of(reference),
            [StateAttr] = StateValue.Of(Sending),
            [SentAtAttr] = StateValue.Of(turn.Now),
            [StateItem.ExpiryAttribute] = StateValue.Of(turn.Now + Kept),
        });
        // Free: never claimed, expired, or claimed by a send that certainly did not go out.
        var free = StateCondition.Absent.Or(StateCondition.TextIs(StateAttr, NotSent));
        try
        {
            if (await table.PutAsync(item, free, turn.Now, turn.Cancellation).ConfigureAwait(false)) return new PatchClaim(true);
            var existing = await table.GetAsync(key, turn.Now, turn.Cancellation).ConfigureAwait(false);
            turn.Log.Warn("patch.reference-taken", ("requestId", turn.RequestId), ("ref", reference), ("part", part),
                ("state", existing?.Text(StateAttr)), ("commandId", existing?.Text(CommandIdAttr)));
            return new PatchClaim(false, existing?.Text(CommandIdAttr));
        }
        catch (AwsCallException e)
        {
            Failed(turn, "claim", e);
            return new PatchClaim(false, Failure: e);
        }
        catch (OperationCanceledException) when (turn.Cancellation.IsCancellationRequested)
        {
            return new PatchClaim(false, Failure: new AwsCallException(AwsOperations.DynamoPutItem, AwsFailure.Timeout, null, null,
                "The turn ran out of time."));
        }
    }

    /// <summary>Gives back a reference this turn claimed but did not send under (it stopped before SendCommand).</summary>
    public async Task ReleaseAsync(TurnContext turn, string reference, Task<PatchClaim> claim)
    {
        if ((await claim.ConfigureAwait(false)).Claimed)
            await MarkAsync(turn, StateKeys.PatchCommand(reference, 1), new StateUpdate().Set(StateAttr, StateValue.Of(NotSent)), true)
                .ConfigureAwait(false);
    }

    /// <summary>The command id of the comment's reference, or null when the table does not know it (or cannot say).</summary>
    public async Task<string?> CommandIdAsync(TurnContext turn, string comment)
    {
        if (KeyOf(comment) is not { } key) return null;
        try
        {
            var item = await table.GetAsync(key, turn.Now, turn.Cancellation).ConfigureAwait(false);
            return item?.Text(CommandIdAttr);
        }
        catch (AwsCallException e)
        {
            Failed(turn, "read", e);
            return null;
        }
    }

    /// <summary>Records the command id (sent, or found after an unknown outcome). Best effort: the comment still finds it.</summary>
    public Task SentAsync(TurnContext turn, string comment, string commandId, PatchCommandTarget? target = null) =>
        MarkAsync(turn, KeyOf(comment), With(new StateUpdate().Set(StateAttr, StateValue.Of(Sent)).Set(CommandIdAttr,
            StateValue.Of(commandId)), comment, target));

    /// <summary>Records that the send's outcome is unknown: the reference stays taken.</summary>
    public Task UnknownAsync(TurnContext turn, string comment, PatchCommandTarget target) =>
        MarkAsync(turn, KeyOf(comment), With(new StateUpdate().Set(StateAttr, StateValue.Of(Unknown)), comment, target));

    /// <summary>Frees the reference of a send SSM refused, so that a retry of the same confirmation may send it.</summary>
    public Task NotSentAsync(TurnContext turn, string comment) => MarkAsync(turn, KeyOf(comment), new StateUpdate().Set(StateAttr,
        StateValue.Of(NotSent)), onlyWithoutId: true);

    /// <summary>Remembers the latest run for status without a session; an older run never overwrites a newer one.</summary>
    public async Task RememberLatestAsync(TurnContext turn, string reference, IReadOnlyList<string> commandIds)
    {
        var item = new StateItem(StateKeys.PatchLatest, new Dictionary<string, StateValue>(StringComparer.Ordinal)
        {
            [StateItem.KindAttribute] = StateValue.Of("patch-latest"),
            [ReferenceAttr] = StateValue.Of(reference),
            [CommandIdsAttr] = StateValue.Of(string.Join(' ', commandIds)),
            [SentAtAttr] = StateValue.Of(turn.Now),
            [StateItem.ExpiryAttribute] = StateValue.Of(turn.Now + Kept),
        });
        try
        {
            await table.PutAsync(item, StateCondition.Absent.Or(StateCondition.AtMost(SentAtAttr, turn.Now.ToUnixTimeSeconds())), turn.Now,
                turn.Cancellation).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            Failed(turn, "latest", e);
        }
    }

    /// <summary>
    /// The latest run's command ids, when it was sent after <paramref name="since"/>; empty when the table has none (or cannot say).
    /// </summary>
    public async Task<IReadOnlyList<string>> LatestAsync(TurnContext turn, DateTimeOffset since)
    {
        try
        {
            var item = await table.GetAsync(StateKeys.PatchLatest, turn.Now, turn.Cancellation).ConfigureAwait(false);
            if (item?.Time(SentAtAttr) is not { } sentAt || sentAt < since) return [];
            return item.Text(CommandIdsAttr)?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        }
        catch (AwsCallException e)
        {
            Failed(turn, "latest", e);
            return [];
        }
    }

    private async Task MarkAsync(TurnContext turn, string? key, StateUpdate update, bool onlyWithoutId = false)
    {
        if (key is null) return;
        // Only a reference that exists is updated: one that expired is not brought back without its claim.
        var condition = StateCondition.Live;
        if (onlyWithoutId) condition = condition.And(new StateCondition.AttributeAbsent(CommandIdAttr));
        try
        {
            await table.UpdateAsync(key, update, condition, turn.Now, turn.Cancellation).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            Failed(turn, "update", e);
        }
        catch (OperationCanceledException) when (turn.Cancellation.IsCancellationRequested)
        {
            // Out of time: the reference stays taken, which is the safe side.
        }
    }

    // The comment and the targets are known once the commands are planned, after the claim.
    private static StateUpdate With(StateUpdate update, string comment, PatchCommandTarget? target)
    {
        update.Set(CommentAttr, StateValue.Of(comment));
        if (target is not null) update.Set(TargetsAttr, StateValue.Of(target.IsTag
            ? "tag:" + target.TagKey + "=" + string.Join('|', target.TagValues) : string.Join(' ', target.InstanceIds)));
        return update;
    }

    private static string? KeyOf(string comment) =>
        PatchComment.ReferenceOf(comment) is { } reference ? StateKeys.PatchCommand(reference, PatchComment.PartOf(comment)) : null;

    private static void Failed(TurnContext turn, string what, AwsCallException e) =>
        turn.Log.Warn("patch.reference-failed", ("requestId", turn.RequestId), ("what", what), ("failure", e.Failure.ToString()),
            ("errorCode", e.ErrorCode));
}
