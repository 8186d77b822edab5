using SecurityAlexa.Alexa;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Patching;

/// <summary>
/// PatchIntent: "patch them", "patch the instances tagged environment prod", "patch web-1".
/// Reads back the blast radius, asks "which ones?", reads the choice back once, and sends
/// AWS-RunPatchBaseline only after a yes, only to the instances read back that can still be patched.
/// What was sent is posted to the team's chat channel.
/// </summary>
internal sealed partial class PatchHandler(ITargetResolver targets, IPatchManager patches, IVulnerabilityLookup? vulnerabilities,
    PatchSettings settings,
    IChatNotifier? chat = null, IncidentTickets? tickets = null, PatchIsolationCheck? isolation = null) : ConfirmedIntentHandler
{
    // Isolated means isolated by this skill's record; without one (no table) an isolation tag exempts nothing.
    private readonly PatchIsolationCheck _isolation = isolation ?? PatchIsolationCheck.NoRecords;

    /// <summary>The pending-action kind for a patch.</summary>
    public const string Kind = "patch";

    /// <summary>The slot the user says the instance count into when a patch is over the cap.</summary>
    public const string ConfirmCountSlot = "ConfirmCount";

    private const string TagKeyArg = "tagKey", TagValueArg = "tagValue", DescriptionArg = "desc", ModeArg = "mode", TagMode = "tag";

    private readonly PatchCandidateFinder _finder = new(targets, vulnerabilities);

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["PatchIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } =
    [
        PatchCandidateFinder.TagKeySlot, PatchCandidateFinder.TagValueSlot, PatchCandidateFinder.InstanceNameSlot,
        PatchCandidateFinder.ScopeSlot, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot, ConfirmCountSlot,
    ];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => Kind;

    /// <summary>No confirmation in play: an open "which ones?" question is answered, or a new request starts.</summary>
    protected override async Task<Reply> ReadBackAsync(TurnContext turn)
    {
        if (PatchConversationMemory.OpenChoice(turn) is { } choice) return await ChooseAsync(turn, choice).ConfigureAwait(false);
        return await StartAsync(turn).ConfigureAwait(false);
    }

    // Step 1: resolve, check eligibility, then ask "which ones?" (or go straight to the read-back for one instance).
    private async Task<Reply> StartAsync(TurnContext turn)
    {
        PatchConversationMemory.SetChoice(turn, null);
        var found = await _finder.FindAsync(turn).ConfigureAwait(false);
        if (PatchSpeech.ForNoCandidates(turn, found) is { } stop)
        {
            if (found is CandidateResult.NoneVulnerable) PatchAudit.Write(turn, "patch", "nothing-vulnerable");
            return stop;
        }
        var candidates = ((CandidateResult.Found)found).Candidates;
        // A whole tag group too large to check one by one goes as one tag-targeted command, after bounded look-ups.
        if (candidates.WholeTag is { } large && candidates.Instances.Count > settings.CheckEachMax)
            return await StartLargeAsync(turn, large, candidates.Description, candidates.Addressed).ConfigureAwait(false);
        // Anything else this large would have to go by id: more than a few commands' worth is refused, not trimmed.
        if (candidates.Instances.Count > PatchSettings.MaxById)
            return TooManyById(turn, candidates.Instances.Count, candidates.Description, candidates.Tag);
        // A single instance goes straight to the read-back, which needs the patch groups: read them alongside the agents.
        var groups = candidates.NamedDirectly || candidates.Instances.Count == 1 ? patches.ListPatchGroupBaselinesAsync(turn.Cancellation)
            : null;
        var assessment = await PatchEligibility.AssessAsync(patches, _isolation, candidates.Instances, turn.Cancellation).ConfigureAwait(false);
        if (assessment.Eligible.Count == 0)
        {
            Observed.Forget(groups);
            return NothingEligible(turn, assessment);
        }

        var wholeTag = assessment.Skipped.Count == 0 ? candidates.WholeTag : null;
        if (candidates.NamedDirectly || assessment.Eligible.Count == 1)
            return await ReadBackAsync(turn, assessment, wholeTag, candidates.Description, prefix: null, groups).ConfigureAwait(false);
        Observed.Forget(groups);

        var lang = turn.Lang;
        var names = candidates.Instances.Select(i => i.DisplayName).ToList();
        var what = PatchSpeech.What(lang, names.Count, candidates.Description);
        var intro = candidates.Vulnerable
            ? lang.Say("patch.choose.intro.vulnerable", ("what", what), ("names", PatchSpeech.Names(lang, names)))
            : lang.Say("patch.choose.intro", ("what", what), ("names", PatchSpeech.Names(lang, names)));
        var eligible = assessment.Eligible;
        PatchConversationMemory.SetChoice(turn, new PatchChoice
        {
            Offered = new TargetMemory
            {
                Description = candidates.Description,
                InstanceIds = eligible.Select(t => t.Id).ToList(),
                Names = eligible.Select(t => t.Name).ToList(),
                TagKey = wholeTag?.Key,
                TagValue = wholeTag?.Value,
            },
            HeardTagKey = turn.Slot(PatchCandidateFinder.TagKeySlot).Value,
            HeardTagValue = turn.Slot(PatchCandidateFinder.TagValueSlot).Value,
        });
        var question = Spoken.Join(intro, PatchSpeech.Skipped(lang, assessment.Skipped),
            PatchSpeech.ForeignMarked(lang, assessment.ForeignMarked), lang.Say("patch.choose.question"));
        var reprompt = lang.Say("patch.choose.reprompt", ("first", eligible[0].Name), ("last", eligible[^1].Name));
        var intent = PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot);
        return Reply.ElicitSlot(question, reprompt, PatchSelection.SelectionSlot, intent)
            .WithCard(lang.Text("patch.card.title"), PatchCards.CandidateCard(lang, eligible, assessment.Skipped))
            .Labelled("which-ones");
    }

    // Step 2: the answer to "which ones?".
    private async Task<Reply> ChooseAsync(TurnContext turn, PatchChoice choice)
    {
        var lang = turn.Lang;
        var offered = choice.Offered;
        var answer = PatchSelection.Read(turn);
        if ((offered.IdsOmitted || choice.Large is not null) && answer is SelectionAnswer.All or SelectionAnswer.Only
            or SelectionAnswer.Except)
            return await ChooseLargeAsync(turn, choice, answer).ConfigureAwait(false);
        IReadOnlyList<string> chosen;
        switch (answer)
        {
            case SelectionAnswer.None:
            {
                var pending = turn.State.Pending;
                Confirmation.Clear(turn);
                return Declined(turn, pending);
            }
            case SelectionAnswer.All:
                chosen = offered.InstanceIds;
                break;
            case SelectionAnswer.Only only:
                var (onlyIds, onlyMissed) = await MatchOfferedAsync(turn, only.Heard, offered).ConfigureAwait(false);
                if (onlyMissed is not null) return NotOffered(turn, onlyMissed, offered);
                chosen = onlyIds;
                break;
            case SelectionAnswer.Except except:
                var (exceptIds, exceptMissed) = await MatchOfferedAsync(turn, except.Heard, offered).ConfigureAwait(false);
                if (exceptMissed is not null) return NotOffered(turn, exceptMissed, offered);
                chosen = offered.InstanceIds.Where(id => !exceptIds.Contains(id, StringComparer.Ordinal)).ToList();
                if (chosen.Count == 0)
                {
                    PatchConversationMemory.SetChoice(turn, null);
                    PatchAudit.Write(turn, "patch", "nothing-chosen", skipped: exceptIds);
                    return Reply.Ask(lang.Say("patch.choose.nothingLeft"), lang.Say("reprompt.generic")).Labelled("nothing-chosen");
                }
                break;
            default:
                var didntGet = lang.Say("patch.choose.didntGet", ("first", offered.Names.FirstOrDefault() ?? ""),
                    ("last", offered.Names.LastOrDefault() ?? ""));
                return Reply.ElicitSlot(didntGet, didntGet, PatchSelection.SelectionSlot,
                    PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot))
                        .Labelled("which-ones-again");
        }

        // Time has passed since the question: read the chosen instances again before reading them back. The instances, their
        // agents and the patch groups are read at once, so a slow AWS costs one call's time, not three.
        var (ordered, assessment, groups) = await DescribeAndAssessAsync(turn, chosen).ConfigureAwait(false);
        if (assessment.Eligible.Count == 0)
        {
            Observed.Forget(groups);
            return NothingEligible(turn, assessment);
        }
        var wholeTag = answer is SelectionAnswer.All && offered.TagKey is { } key && offered.TagValue is { } value
            && assessment.Skipped.Count == 0 && ordered.Count == chosen.Count
            ? new TagSelector(key, value) : null;
        return await ReadBackAsync(turn, assessment, wholeTag, offered.Description, prefix: null, groups).ConfigureAwait(false);
    }

    // The instances (in the given order), their agents and the patch groups, read concurrently; eligibility is then sorted locally.
    private async Task<(IReadOnlyList<InstanceInfo> Ordered, PatchAssessment Assessment,
        Task<IReadOnlyList<PatchGroupBaseline>> Groups)> DescribeAndAssessAsync(
        TurnContext turn, IReadOnlyList<string> ids)
    {
        var describing = targets.DescribeAsync(ids, turn.Cancellation);
        var agents = patches.DescribeManagedNodesAsync(ids, turn.Cancellation);
        var groups = patches.ListPatchGroupBaselinesAsync(turn.Cancellation);
        await Observed.WhenAllAsync(describing, agents).ConfigureAwait(false);
        var instances = await describing.ConfigureAwait(false);
        var nodes = await agents.ConfigureAwait(false);
        var ordered = ids.Select(id => instances.FirstOrDefault(i => i.Id == id)).OfType<InstanceInfo>().ToList();
        IsolationMarks marks;
        try
        {
            marks = await _isolation.ReadAsync(ordered, turn.Cancellation).ConfigureAwait(false);
        }
        catch
        {
            Observed.Forget(groups);
            throw;
        }
        return (ordered, PatchEligibility.Assess(ordered, nodes, marks), groups);
    }

    // Step 3: the one read-back and confirmation.
    private async Task<Reply> ReadBackAsync(TurnContext turn, PatchAssessment assessment, TagSelector? wholeTag, string description,
        Spoken? prefix,
        Task<IReadOnlyList<PatchGroupBaseline>>? groups = null)
    {
        var lang = turn.Lang;
        var eligible = assessment.Eligible;
        var baselines = await PatchBaselines.PlanAsync(patches, eligible, turn.Cancellation, groups, turn).ConfigureAwait(false);
        var names = eligible.Select(t => t.Name).ToList();
        var what = PatchSpeech.What(lang, eligible.Count);
        var overCap = eligible.Count > settings.MaxInstances;
        var readBack = Spoken.Join(
            prefix,
            PatchSpeech.Skipped(lang, assessment.Skipped),
            PatchSpeech.ForeignMarked(lang, assessment.ForeignMarked),
            lang.Say(eligible.Count == 1 ? "patch.confirm.one" : "patch.confirm.other", ("what", what),
                ("names", PatchSpeech.Names(lang, names)), ("reboot", PatchSpeech.Reboot(lang, settings))),
            baselines.Count > 1 ? PatchSpeech.Baselines(lang, baselines) : null,
            overCap ? lang.Say("patch.confirm.overCap", ("limit", lang.Count(settings.MaxInstances, "instance"))) : null);

        var args = new Dictionary<string, string>(StringComparer.Ordinal) { [DescriptionArg] = description };
        if (wholeTag is not null)
        {
            args[TagKeyArg] = wholeTag.Key;
            args[TagValueArg] = wholeTag.Value;
        }
        var pending = new PendingAction
        {
            Kind = Kind,
            Intent = "PatchIntent",
            InstanceIds = eligible.Select(t => t.Id).ToList(),
            Args = args,
            CountToSayBack = overCap ? eligible.Count : null,
        };
        PatchConversationMemory.SetChoice(turn, null);
        return ReadBackScreen.Show(turn,
            Confirmation.Ask(turn, pending, readBack, lang.Say("patch.confirm.reprompt", ("what", what)),
            lang.Say("patch.confirm.question"))
            .WithCard(lang.Text("patch.card.title"), PatchCards.ReadBackCard(lang, eligible, assessment.Skipped, baselines)),
                eligible.Select(t => new ScreenRow(t.Id, t.Name)));
    }

    // A yes that cannot be trusted: an expired read-back is read again; anything else does nothing.
    protected override async Task<Reply> ConfirmAgainAsync(TurnContext turn, string reason)
    {
        var pending = turn.State.Pending;
        Confirmation.Clear(turn);
        if (reason == "expired" && pending is { Kind: Kind } && IsTagWide(pending))
            return await ReadBackLargeAgainAsync(turn, pending, turn.Lang.Say("patch.confirm.again")).ConfigureAwait(false);
        if (reason == "expired" && pending is { Kind: Kind, InstanceIds.Count: > 0 })
        {
            var (_, assessment, groups) = await DescribeAndAssessAsync(turn, pending.InstanceIds).ConfigureAwait(false);
            if (assessment.Eligible.Count == 0)
            {
                Observed.Forget(groups);
                return NothingEligible(turn, assessment);
            }
            var tag = pending.Args.TryGetValue(TagKeyArg, out var k) && pending.Args.TryGetValue(TagValueArg, out var v)
                ? new TagSelector(k, v) : null;
            return await ReadBackAsync(turn, assessment, tag, pending.Args.GetValueOrDefault(DescriptionArg) ?? "",
                turn.Lang.Say("patch.confirm.again"), groups).ConfigureAwait(false);
        }
        PatchAudit.Write(turn, "patch", "refused-" + reason, pending?.InstanceIds);
        if (pending is not null && IsTagWide(pending)) PatchAudit.TagSet(turn, pending.Args[TagKeyArg], pending.Args[TagValueArg],
            pending.Size, pending.Digest);
        // The central count-back check (security) reports a wrong or missing number this way.
        if (reason is "count-mismatch" or "count-missing")
            return Reply.Tell(turn.Lang.Say("patch.sayCount.wrong")).Labelled("count-mismatch");
        // "Nothing was waiting" is true only when nothing was; a yes to other slots or another action is a mismatch.
        var said = reason == "nothing-pending" ? "patch.confirm.invalid" : "patch.confirm.mismatch";
        return Reply.Ask(turn.Lang.Say(said), turn.Lang.Say("patch.needTargets.reprompt")).Labelled("confirm-invalid");
    }

    // Step 4: the user said yes to exactly this pending action.
    protected override async Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending)
    {
        if (IsTagWide(pending)) return await ExecuteLargeAsync(turn, pending).ConfigureAwait(false);
        // A pending action with neither ids nor a tag to re-resolve is never "nothing" or "everything": it is refused.
        if (pending.InstanceIds.Count == 0)
        {
            Confirmation.Clear(turn);
            PatchAudit.Write(turn, "patch", "refused-no-targets");
            return Reply.Ask(turn.Lang.Say("patch.confirm.invalid"), turn.Lang.Say("patch.needTargets.reprompt"))
                .Labelled("confirm-invalid");
        }
        var lang = turn.Lang;
        // Re-check what could have changed since the read-back: isolation, agents, instances gone; and, for a whole tag,
        // what the tag covers now. All read at once.
        var tagNow = pending.Args.TryGetValue(TagKeyArg, out var key) && pending.Args.TryGetValue(TagValueArg, out var value)
            ? TagGroup.ResolveAsync(targets, new TagSelector(key, value), turn.Cancellation) : null;
        var describing = targets.DescribeAsync(pending.InstanceIds, turn.Cancellation);
        var agents = patches.DescribeManagedNodesAsync(pending.InstanceIds, turn.Cancellation);
        await Observed.WhenAllAsync(tagNow is null ? [describing, agents] : [describing, agents, tagNow]).ConfigureAwait(false);
        var instances = await describing.ConfigureAwait(false);
        var ordered = pending.InstanceIds.Select(id => instances.FirstOrDefault(i => i.Id == id)).OfType<InstanceInfo>().ToList();
        var gone = pending.InstanceIds.Count - ordered.Count;
        var marks = await _isolation.ReadAsync(ordered, turn.Cancellation).ConfigureAwait(false);
        var assessment = PatchEligibility.Assess(ordered, await agents.ConfigureAwait(false), marks);
        var resolvedTag = tagNow is null ? null : await tagNow.ConfigureAwait(false);
        Confirmation.Clear(turn);
        var goneSpeech = gone > 0
            ? lang.Say(gone == 1 ? "patch.skip.gone.one" : "patch.skip.gone.other", ("what", lang.Count(gone, "instance"))) : null;
        if (assessment.Eligible.Count == 0) return NothingEligible(turn, assessment, goneSpeech);
        if (!TurnBudget.CanStartAChange(turn)) return NotSentSlow(turn, pending);

        var eligible = assessment.Eligible;
        var commands = PatchCommandPlan.PlanCommands(resolvedTag, eligible, allStillThere: gone == 0 && assessment.Skipped.Count == 0);
        var reference = PatchComment.ReferenceFor(turn.RequestId);
        var skippedIds = assessment.Skipped.Select(s => s.Instance.Id).ToList();
        // An earlier send of this conversation whose outcome is unknown is resolved first, so a retry cannot patch twice.
        if (await PatchSendOutcome.BeforeSendingAsync(turn, patches, eligible.Select(t => t.Id).ToList()).ConfigureAwait(false)
            is { } earlier) return earlier;
        var sent = new List<(string CommandId, PatchCommandTarget Target)>();
        for (var i = 0; i < commands.Count; i++)
        {
            var comment = PatchComment.For(reference, i + 1, commands.Count);
            var request = new PatchCommandRequest(commands[i], "Install", settings.RebootOption, settings.MaxConcurrency,
                settings.MaxErrors, comment);
            try
            {
                sent.Add((await patches.SendPatchCommandAsync(request, turn.Cancellation).ConfigureAwait(false), commands[i]));
            }
            catch (AwsCallException e) when (PatchSendOutcome.MayHaveBeenSent(e))
            {
                // SSM may have accepted it: look it up by its comment, and never send it again.
                var lookup = await PatchSendOutcome.LookUpAsync(turn, patches, comment, turn.Now, sent.Select(s => s.CommandId))
                    .ConfigureAwait(false);
                if (lookup.Command is { } found)
                {
                    sent.Add((found.CommandId, commands[i]));
                    continue;
                }
                return await PatchSendOutcome.UnknownAsync(turn, e, chat, settings,
                    new PatchRunParts(reference, eligible, sent, commands[i], comment, skippedIds)).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                return await SendFailedAsync(turn, e, eligible, sent, reference, skippedIds).ConfigureAwait(false);
            }
        }

        var patchedIds = sent.SelectMany(s => s.Target.IsTag ? eligible.Select(t => t.Id) : s.Target.InstanceIds)
            .Distinct(StringComparer.Ordinal).ToList();
        PatchConversationMemory.Remember(turn, reference, sent.Select(s => s.CommandId).ToList(), eligible, patchedIds);
        PatchAudit.Write(turn, "patch", "sent", patchedIds, skippedIds, sent.Select(s => s.CommandId), reference);

        var names = eligible.Where(t => patchedIds.Contains(t.Id)).Select(t => t.Name).ToList();
        var chatText = PatchSpeech.StartedChat(lang, ChatPost.Speaker(turn), eligible.Where(t => patchedIds.Contains(t.Id)).ToList(),
            sent.Select(s => s.CommandId).ToList(), reference, assessment.Skipped, settings, failure: null);
        var ticket = await IncidentTickets.RecordAsync(tickets, turn, PatchTickets.Started(lang, turn.RequestId,
            sent.Select(s => s.CommandId).ToList(), patchedIds, names, reference)).ConfigureAwait(false);
        var chatSpeech = await ChatPost.PostAsync(turn, chat, ticket.AppendTo(chatText, lang)).ConfigureAwait(false);
        var speech = Spoken.Join(
            lang.Say("patch.started", ("what", PatchSpeech.What(lang, names.Count)), ("names", PatchSpeech.Names(lang, names))),
            PatchSpeech.Skipped(lang, assessment.Skipped),
            goneSpeech,
            ticket.Speech(lang),
            chatSpeech,
            lang.Say("patch.started.advice"));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"),
                ticket.AppendTo(PatchCards.StartedCard(lang, reference, sent.Select(s => s.CommandId), names, assessment.Skipped), lang) ?? "")
            .Labelled("patch-sent");
    }

    // The whole tag group goes as one tag-targeted command, but only if the tag still covers exactly the

    private async Task<Reply> SendFailedAsync(TurnContext turn, AwsCallException e, IReadOnlyList<PatchTarget> eligible,
        List<(string CommandId, PatchCommandTarget Target)> sent, string reference, List<string> skippedIds)
    {
        var lang = turn.Lang;
        var sentIds = sent.SelectMany(s => s.Target.IsTag ? eligible.Select(t => t.Id) : s.Target.InstanceIds).ToList();
        PatchAudit.Write(turn, "patch", sent.Count == 0 ? "failed" : "partly-sent", sentIds, skippedIds, sent.Select(s => s.CommandId),
            reference,
            error: e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString()));
        if (sent.Count == 0)
        {
            if (e.Failure == AwsFailure.InvalidRequest) return Reply.Tell(lang.Say("patch.send.invalid")).Labelled("patch-invalid-target");
            throw e;
        }
        // Some batches went out: say exactly which, so nobody believes nothing happened.
        PatchConversationMemory.Remember(turn, reference, sent.Select(s => s.CommandId).ToList(), eligible, sentIds);
        var names = eligible.Where(t => sentIds.Contains(t.Id)).Select(t => t.Name).ToList();
        var rest = eligible.Count - names.Count;
        var chatText = PatchSpeech.StartedChat(lang, ChatPost.Speaker(turn), eligible.Where(t => sentIds.Contains(t.Id)).ToList(),
            sent.Select(s => s.CommandId).ToList(), reference, [], settings,
                failure: (rest, e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString())));
        var chatSpeech = await ChatPost.PostAsync(turn, chat, chatText).ConfigureAwait(false);
        var speech = Spoken.Join(
            lang.Say("patch.send.partial", ("what", PatchSpeech.What(lang, names.Count)), ("names", PatchSpeech.Names(lang, names)),
                ("rest", rest)),
            ErrorSpeech.ForAws(lang, e),
            chatSpeech,
            lang.Say("patch.started.advice"));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"), PatchCards.StartedCard(lang, reference, sent.Select(s => s.CommandId), names, []))
            .Labelled("patch-partly-sent");
    }

    protected override Reply Declined(TurnContext turn, PendingAction? pending)
    {
        var offeredSet = turn.State.Patch?.Choosing?.Offered;
        var offered = offeredSet?.InstanceIds;
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.Write(turn, "patch", "declined", pending?.InstanceIds ?? offered);
        if (pending is not null && IsTagWide(pending)) PatchAudit.TagSet(turn, pending.Args[TagKeyArg], pending.Args[TagValueArg],
            pending.Size, pending.Digest);
        else if (pending is null && offeredSet is { IdsOmitted: true, TagKey: { } k, TagValue: { } v })
            PatchAudit.TagSet(turn, k, v, offeredSet.Size, offeredSet.Digest);
        return Reply.Ask(turn.Lang.Say("patch.declined"), turn.Lang.Say("reprompt.generic")).Labelled("patch-declined");
    }

    private static Reply NothingEligible(TurnContext turn, PatchAssessment assessment, Spoken? extra = null)
    {
        Confirmation.Clear(turn);
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.Write(turn, "patch", "nothing-eligible", skipped: assessment.Skipped.Select(s => s.Instance.Id));
        var speech = Spoken.Join(PatchSpeech.Skipped(turn.Lang, assessment.Skipped), extra, turn.Lang.Say("patch.nothingEligible"));
        return Reply.Tell(speech).Labelled("nothing-eligible");
    }

    private static Reply NotOffered(TurnContext turn, string heard, TargetMemory offered)
    {
        var question = turn.Lang.Say("patch.choose.notOffered", ("heard", heard),
            ("names", turn.Lang.ListOr(offered.Names.Take(PatchSpeech.SpokenNames))));
        var intent = PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot,
            PatchCandidateFinder.InstanceNameSlot);
        return Reply.ElicitSlot(question, question, PatchSelection.SelectionSlot, intent).Labelled("which-ones-again");
    }

    // Spoken names are matched locally first; the resolver, which knows every way a name can be said, is the fallback.
    private async Task<(IReadOnlyList<string> Ids, string? Unmatched)> MatchOfferedAsync(TurnContext turn, string heard,
        TargetMemory offered)
    {
        var local = PatchSelection.Match(heard, offered.InstanceIds, offered.Names);
        if (local.Unmatched is null) return local;
        var resolved = await targets.ResolveAsync(new TargetQuery { Name = heard }, turn.Cancellation).ConfigureAwait(false);
        if (resolved is TargetResult.Found found)
        {
            var ids = found.Selection.Ids.Where(id => offered.InstanceIds.Contains(id, StringComparer.Ordinal)).ToList();
            if (ids.Count > 0) return (ids, null);
        }
        return local;
    }
}
