using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>
/// Sends the planned AWS-RunPatchBaseline commands at most once each. Before each SendCommand the command's reference is
/// claimed in the state table; a reference already taken (the same yes on another container) is never sent again. A send
/// whose outcome is unknown is looked up (the table, then ListCommands), never repeated, and stops the rest.
/// </summary>
internal sealed class PatchSender(IPatchManager patches, PatchSettings settings, PatchReferences references)
{
    /// <summary>
    /// Sends the commands of one confirmed patch, under the run's <paramref name="reference"/>. The first command's claim
    /// (<paramref name="first"/>) was started alongside the re-check of the targets; the others are claimed in turn.
    /// </summary>
    public async Task<PatchSendResult> SendAsync(TurnContext turn, string reference, IReadOnlyList<PatchCommandTarget> commands,
        Task<PatchClaim> first)
    {
        var sent = new List<(string CommandId, PatchCommandTarget Target)>();
        var recording = new List<Task>();
        PatchSendResult Stop(PatchSendResult result) => result with { Recorded = Task.WhenAll(recording) };
        for (var i = 0; i < commands.Count; i++)
        {
            var comment = PatchComment.For(reference, i + 1, commands.Count);
            // A later command is started only while the turn can still hear back from AWS (the first was checked before the claim
            // alongside the re-check): a send cut off by the deadline would leave its outcome unknown and block a retry.
            if (i > 0 && !TurnBudget.CanStartAChange(turn))
                return Stop(new PatchSendResult(sent) { Late = true });
            var claim = i == 0 ? await first.ConfigureAwait(false)
                : await references.ClaimAsync(turn, reference, i + 1).ConfigureAwait(false);
            if (claim.Failure is { } failure) return Stop(new PatchSendResult(sent) { NotRecorded = failure });
            var (claimed, knownId) = (claim.Claimed, claim.CommandId);

            if (!claimed)
            {
                // The same command was sent, or is being sent, by another handling of this yes: never send it again.
                if (knownId is null)
                {
                    var other = await PatchSendOutcome.LookUpAsync(turn, patches, references, comment,
                        turn.Now - PatchSendOutcome.RetryWindow, sent.Select(s => s.CommandId)).ConfigureAwait(false);
                    knownId = other.Command?.CommandId;
                }
                if (knownId is null)
                    return Stop(Unknown(sent, commands[i], comment, "patch.send.unknown.elsewhere", "reference taken by another request"));
                sent.Add((knownId, commands[i]));
                continue;
            }

            var request = new PatchCommandRequest(commands[i], "Install", settings.RebootOption, settings.MaxConcurrency,
                settings.MaxErrors, comment);
            try
            {
                var commandId = await patches.SendPatchCommandAsync(request, turn.Cancellation).ConfigureAwait(false);
                sent.Add((commandId, commands[i]));
                recording.Add(references.SentAsync(turn, comment, commandId, commands[i]));
            }
            catch (AwsCallException e) when (PatchSendOutcome.MayHaveBeenSent(e))
            {
                // SSM may have accepted it: look it up, and never send it again.
                var lookup = await PatchSendOutcome.LookUpAsync(turn, patches, references, comment, turn.Now, sent.Select(s => s.CommandId))
                    .ConfigureAwait(false);
                if (lookup.Command is { } found)
                {
                    sent.Add((found.CommandId, commands[i]));
                    continue;
                }
                recording.Add(references.UnknownAsync(turn, comment, commands[i]));
                return Stop(Unknown(sent, commands[i], comment,
                    e.Failure == AwsFailure.Timeout ? "patch.send.unknown.timeout" : "patch.send.unknown.error",
                    e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString())));
            }
            catch (AwsCallException e)
            {
                // Refused: certainly not sent, so the reference is freed for a retry of this yes.
                recording.Add(references.NotSentAsync(turn, comment));
                return Stop(new PatchSendResult(sent) { Refused = e });
            }
        }
        return Stop(new PatchSendResult(sent));
    }

    private static PatchSendResult Unknown(List<(string CommandId, PatchCommandTarget Target)> sent, PatchCommandTarget target,
        string comment, string speechKey, string error) =>
        new(sent) { Unknown = target, UnknownComment = comment, UnknownSpeechKey = speechKey, UnknownError = error };
}
