using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.State;

namespace SecurityAlexa.Patching;

/// <summary>
/// Patch-command references in the state table (docs/state.md, <c>patch-command</c> and <c>patch-latest</c>). A reference
/// is claimed with a conditional put before SendCommand, so that one confirmation handled by two containers is sent at
/// most once; it gets the command id as soon as anyone learns it, so that an unknown outcome and status find the command
/// without ListCommands, whose one page may not reach it.
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
    /// Claims the command's reference before it is sent. True: this turn may send it. False: someone already sent (or is
    /// sending) a command with this comment; the id is its id when known. A table failure throws,
    /// and then nothing may be sent.
    /// </summary>
    public async Task<(bool Claimed, string? CommandId)> ClaimAsync(TurnContext turn, string comment, PatchCommandTarget target)
    {
        var key = StateKeys.PatchCommand(comment);
        var targets = target.IsTag ? "tag:" + target.TagKey + "=" + string.Join('|', target.TagValues)
            : string.Join(' ', target.InstanceIds);
        var item = new StateItem(key, new Dictionary<string, StateValue>(StringComparer.Ordinal)
        {
            [StateItem.KindAttribute] = StateValue.Of("patch-command"),
            [CommentAttr] = StateValue.Of(comment),
            [StateAttr] = StateValue.Of(Sending),
            [TargetsAttr] = StateValue.Of(targets),
            [SentAtAttr] = StateValue.Of(turn.Now),
            [StateItem.ExpiryAttribute] = StateValue.Of(turn.Now + Kept),
        });
        // Free: never claimed, expired, or claimed by a send that certainly did not go out.
        var free = StateCondition.Absent.Or(StateCondition.TextIs(StateAttr, NotSent));
        if (await table.PutAsync(item, free, turn.Now, turn.Cancellation).ConfigureAwait(false)) return (true, null);
        var existing = await table.GetAsync(key, turn.Now, turn.Cancellation).ConfigureAwait(false);
        turn.Log.Warn("patch.reference-taken", ("requestId", turn.RequestId), ("comment", comment),
            ("state", existing?.Text(StateAttr)), ("commandId", existing?.Text(CommandIdAttr)));
        return (false, existing?.Text(CommandIdAttr));
    }

    /// <summary>The command id of the comment's reference, or null when the table does not know it (or cannot say).</summary>
    public async Task<string?> CommandIdAsync(TurnContext turn, string comment)
    {
        try
        {
            var item = await table.GetAsync(StateKeys.PatchCommand(comment), turn.Now, turn.Cancellation).ConfigureAwait(false);
            return item?.Text(CommandIdAttr);
        }
        catch (AwsCallException e)
        {
            Failed(turn, "read", e);
            return null;
        }
    }

    /// <summary>Records the command id (sent, or found after an unknown outcome). Best effort: the comment still finds it.</summary>
    public Task SentAsync(TurnContext turn, string comment, string commandId) =>
        MarkAsync(turn, comment, new StateUpdate().Set(StateAttr, StateValue.Of(Sent)).Set(CommandIdAttr, StateValue.Of(commandId)));

    /// <summary>Records that the send's outcome is unknown: the reference stays taken.</summary>
    public Task UnknownAsync(TurnContext turn, string comment) => MarkAsync(turn, comment, new StateUpdate().Set(StateAttr,
        StateValue.Of(Unknown)));

    /// <summary>Frees the reference of a send SSM refused, so that a retry of the same confirmation may send it.</summary>
    public Task NotSentAsync(TurnContext turn, string comment) => MarkAsync(turn, comment, new StateUpdate().Set(StateAttr,
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

    private async Task MarkAsync(TurnContext turn, string comment, StateUpdate update, bool onlyWithoutId = false)
    {
        // Only a reference that exists is updated: one that expired is not brought back without its comment and targets.
        var condition = StateCondition.Live;
        if (onlyWithoutId) condition = condition.And(new StateCondition.AttributeAbsent(CommandIdAttr));
        try
        {
            await table.UpdateAsync(StateKeys.PatchCommand(comment), update, condition, turn.Now, turn.Cancellation)
                .ConfigureAwait(false);
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

    private static void Failed(TurnContext turn, string what, AwsCallException e) =>
        turn.Log.Warn("patch.reference-failed", ("requestId", turn.RequestId), ("what", what), ("failure", e.Failure.ToString()),
            ("errorCode", e.ErrorCode));
}
