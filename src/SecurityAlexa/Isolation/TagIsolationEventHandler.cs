using System.Text.Json;
using System.Text.RegularExpressions;
using SecurityAlexa.Notifications;
using SecurityAlexa.Security;
using SecurityAlexa.State;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolation by tag: the EventBridge event for a CloudTrail CreateTags call that put the trigger tag
/// on instances, delivered through the work queue (the rule targets the queue). The tag is the request, so
/// there is no confirmation; but only instances that carry the tag now are touched, and an instance already
/// isolated is left as it is, so a redelivered or replayed event changes nothing. With the state table, an
/// event whose work is finished is recorded by its CloudTrail event id (written when the work is done, never
/// claimed before), so a redelivery makes no AWS change and posts nothing; unfinished work is reported so
/// that SQS delivers the event again. Instances that do not fit in one invocation go on as their own units. An event
/// from an enrolled member account or another allowed region is isolated there, by that scope's isolator from
/// <paramref name="elsewhere"/>; never by this one.
/// </summary>
internal sealed partial class TagIsolationEventHandler(InstanceIsolator isolator, IChatNotifier? chat, SkillConfig config, SkillLog log,
    TimeProvider time, Lang lang, TagEventPolicy policy,
    IStateTable? state = null, IncidentTickets? tickets = null,
    Func<string, string, (InstanceIsolator Isolator, IChatNotifier? Chat)?>? elsewhere = null) : IWorkHandler
{
    // A finished event is remembered this long: far beyond SQS's retention of the message.
    private static readonly TimeSpan CompletionKeptFor = TimeSpan.FromDays(7);

    /// <summary>The kind the work queue gives a CloudTrail API-call event from EC2.</summary>
    public static string EventKind { get; } = WorkConsumer.EventKind("aws.ec2", "AWS API Call via CloudTrail");

    /// <inheritdoc />
    public string Kind => EventKind;

    /// <summary>True when the event is a successful CreateTags that put the trigger tag on something.</summary>
    public bool CanHandle(JsonElement evt) =>
        Text(evt, "source") == "aws.ec2"
        && Text(evt, "detail-type") == "AWS API Call via CloudTrail"
        && evt.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object
        && Text(detail, "eventName") == "CreateTags"
        // A CreateTags call that failed did not tag anything.
        && !detail.TryGetProperty("errorCode", out _)
        && Tags(detail).Any(t => t.Key == isolator.Options.TriggerTagKey && t.Value == isolator.Options.TriggerTagValue);

    /// <inheritdoc />
    public async Task<WorkOutcome> HandleAsync(WorkItem item, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(item.Payload); }
        catch (JsonException)
        {
            log.Security("isolate.event.rejected", ("why", "malformed JSON"));
            return WorkOutcome.Poison;
        }
        using (document)
        {
            var evt = document.RootElement;
            if (!CanHandle(evt))
            {
                // The rule sends only the trigger tag's CreateTags; anything else is not for this handler to act on.
                log.Info("isolate.event.ignored", ("eventId", Text(evt, "id")), ("why", "not a CreateTags of the trigger tag"));
                return WorkOutcome.Done;
            }
            var result = await HandleAsync(evt, deadline, cancellationToken).ConfigureAwait(false);
            return result.Status switch
            {
                "isolated" or "unchanged" or "continuing" or "ignored" or "duplicate" => WorkOutcome.Done,
                "rejected" => WorkOutcome.Poison,
                // A refusal is final and was posted and audited; only a foreign account's event is kept, in the DLQ.
                "refused" => result.Detail == TagEventPolicy.WrongAccount ? WorkOutcome.Poison : WorkOutcome.Done,
                _ => WorkOutcome.Retry,
            };
        }
    }

    /// <summary>Handles one CreateTags event (see <see cref="CanHandle"/>) within <paramref name="deadline"/>.</summary>
    public async Task<EventResult> HandleAsync(JsonElement evt, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var detail = evt.GetProperty("detail");
        var eventId = Text(detail, "eventID") ?? Text(evt, "id");
        var resources = Resources(detail).ToList();
        if (resources.FirstOrDefault(r => r.StartsWith("i-", StringComparison.Ordinal) && !InstanceId().IsMatch(r)) is { } forged)
        {
            log.Security("isolate.event.rejected", ("eventId", eventId), ("why", "invalid instance id"),
                ("id", forged.Length > 40 ? forged[..40] : forged));
            return new EventResult("rejected", "invalid instance id");
        }
        var ids = resources.Where(id => InstanceId().IsMatch(id)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            log.Info("isolate.event.ignored", ("eventId", eventId), ("why", "no instance among the tagged resources"));
            return new EventResult("ignored", "no instances");
        }
        // Who tagged, from where and how many, before anything is claimed or read (issue 13 §1).
        var decision = await policy.DecideAsync(evt, ids, cancellationToken).ConfigureAwait(false);
        if (decision.Refusal is { } refused) return refused;
        // The function's own account and region: this isolator. An enrolled one: that scope's, or nothing at all.
        (InstanceIsolator Isolator, IChatNotifier? Chat)? there = (isolator, chat);
        if (decision.AccountId != policy.Account || decision.Region != policy.Region)
        {
            try
            {
                there = elsewhere?.Invoke(decision.AccountId ?? "", decision.Region ?? "");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Warn("isolate.event.scope-unreachable", ("eventId", eventId), ("account", decision.AccountId),
                    ("region", decision.Region), ("exception", e.GetType().FullName));
                return new EventResult("failed", "account " + decision.AccountId + " in " + decision.Region + " unreachable");
            }
            if (there is null)
            {
                log.Security("isolate.event.refused", ("reason", "scope-not-available"), ("eventId", eventId),
                    ("account", decision.AccountId), ("region", decision.Region));
                return new EventResult("refused", TagEventPolicy.WrongAccount);
            }
        }

        var now = time.GetUtcNow();
        var completion = state is not null && StateKeys.TagEvent(eventId) is { } key ? key : null;
        if (completion is not null)
        {
            try
            {
                if (await state!.GetAsync(completion, now, cancellationToken).ConfigureAwait(false) is not null)
                {
                    log.Info("isolate.event.duplicate", ("eventId", eventId), ("instances", ids));
                    return new EventResult("duplicate", "event " + eventId + " was finished already");
                }
            }
            catch (AwsCallException e)
            {
                // Isolating late is worse than isolating twice, and a second isolation changes nothing: go on.
                log.Warn("isolate.event.state-unavailable", ("eventId", eventId), ("operation", e.Operation),
                    ("failure", e.Failure.ToString()));
            }
        }

        EventResult result;
        try
        {
            result = await IsolateAsync(there.Value.Isolator, there.Value.Chat, detail, eventId, ids, now, deadline, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            Audit(detail, eventId, ids, decision, new EventResult("failed", e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString())));
            throw;
        }
        Audit(detail, eventId, ids, decision, result);
        if (completion is not null && result.Status is "isolated" or "unchanged" or "continuing")
            await RecordFinishedAsync(completion, ids, result.Status, cancellationToken).ConfigureAwait(false);
        return result;
    }

    // What a tag did, as the voice path's audit record says what a voice did: who (the CloudTrail principal), what, and where.
    private void Audit(JsonElement detail, string? eventId, IReadOnlyList<string> ids, TagEventDecision decision, EventResult result)
    {
        var identity = detail.TryGetProperty("userIdentity", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        log.Write("AUDIT", "audit", ("source", "event"), ("action", "isolate-by-tag"), ("outcome", result.Status), ("refusedBy", null),
            ("principalArn", Text(identity, "arn")), ("sourceIp", Text(detail, "sourceIPAddress")),
            ("userAgent", Text(detail, "userAgent")),
            ("eventId", eventId), ("account", decision.AccountId), ("region", decision.Region), ("targets", ids),
            ("targetCount", ids.Count), ("detail", result.Detail));
    }

    // Written only now that the work is done: a delivery that failed leaves no record, and SQS retries it.
    private async Task RecordFinishedAsync(string key, IReadOnlyList<string> ids, string outcome, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var item = new StateItem(key, new Dictionary<string, StateValue>(StringComparer.Ordinal)
        {
            [StateItem.KindAttribute] = StateValue.Of("tag-event"),
            ["instances"] = StateValue.Of(string.Join(",", ids)),
            ["outcome"] = StateValue.Of(outcome),
            ["finishedAt"] = StateValue.Of(now),
            [StateItem.ExpiryAttribute] = StateValue.Of(now + CompletionKeptFor),
        });
        try
        {
            // Absent: a concurrent delivery that finished first has written the same fact.
            await state!.PutAsync(item, StateCondition.Absent, now, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            // The work is done; a redelivery would only find every instance isolated.
            log.Warn("isolate.event.completion-not-recorded", ("operation", e.Operation), ("failure", e.Failure.ToString()));
        }
    }

    private async Task<EventResult> IsolateAsync(InstanceIsolator isolator, IChatNotifier? chat, JsonElement detail, string? eventId,
        List<string> ids, DateTimeOffset now, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var options = isolator.Options;
        var principal = detail.TryGetProperty("userIdentity", out var identity) && identity.ValueKind == JsonValueKind.Object
            ? Text(identity, "arn") ?? Text(identity, "principalId") : null;
        var who = "tag-event:" + (IdentityHash.Of(principal, config.IdHashSalt) ?? "unknown");
        var tag = options.TriggerTagKey + "=" + options.TriggerTagValue;
        var reason = lang.Text("isolate.event.reason", ("tag", tag), ("who", who));
        var request = new IsolationRequest(who, reason, now, new TagSelector(options.TriggerTagKey, options.TriggerTagValue));

        var finishBy = deadline - options.Reserve;
        var report = await isolator.IsolateAsync(ids, request, new IsolationBudget(finishBy, time), cancellationToken)
            .ConfigureAwait(false);

        var outcomes = report.Instances.Select(i => i.InstanceId + "=" + i.Outcome).ToList();
        log.Info("isolate.event.result", ("eventId", eventId), ("by", who), ("instances", ids), ("outcomes", outcomes),
            ("continuing", report.Continuing), ("account", isolator.Scope?.AccountId), ("region", isolator.Scope?.Region));

        var delivery = ChatDelivery.Ok;
        // Only a change is ticketed: an event that found everything already isolated adds nothing to the incident.
        var ticket = await IncidentTickets.RecordAsync(tickets, report.Instances.Any(i => i.Changed)
            ? IsolationTickets.Isolated(lang, report, eventId ?? "", lang.Text("isolate.chat.byTag", ("tag", tag)), reason) : null, log,
            cancellationToken).ConfigureAwait(false);
        var text = ticket.AppendTo(IsolationSpeech.IsolationChat(lang, report, lang.Text("isolate.chat.byTag", ("tag", tag)), reason,
            options), lang);
        if (chat is not null && text is not null)
        {
            delivery = await chat.NotifyAsync(new ChatMessage(text), cancellationToken).ConfigureAwait(false);
            if (!delivery.Delivered) log.Warn("chat.failed", ("eventId", eventId), ("why", delivery.Failure));
        }

        var status = report.Instances.All(i => i.Outcome is IsolationOutcome.AlreadyIsolated or IsolationOutcome.NotRequested
            or IsolationOutcome.NotFound or IsolationOutcome.Terminated or IsolationOutcome.Protected) ? "unchanged"
            : report.Instances.All(i => i.Outcome is IsolationOutcome.Isolated or IsolationOutcome.AlreadyIsolated
                or IsolationOutcome.NotRequested or IsolationOutcome.NotFound or IsolationOutcome.Terminated
                or IsolationOutcome.Protected) ? "isolated"
            // What did not fit is on the queue as units of its own: this event's work is handed on whole.
            : report.Continuing && report.Stranded.Count == 0
                && report.Instances.All(i => i.Outcome is IsolationOutcome.Isolated or IsolationOutcome.AlreadyIsolated
                or IsolationOutcome.NotRequested or IsolationOutcome.NotFound or IsolationOutcome.Terminated
                or IsolationOutcome.Protected or IsolationOutcome.Deferred)
                ? "continuing"
            : "isolated-partly";
        return new EventResult(status, string.Join(", ", outcomes) + (delivery.Delivered ? "" : "; chat not notified")
            + (ticket.Failed ? "; ticket not recorded" : ""));
    }

    private static IEnumerable<(string Key, string Value)> Tags(JsonElement detail) =>
        Items(detail, "tagSet").Select(i => (Text(i, "key") ?? "", Text(i, "value") ?? ""));

    private static IEnumerable<string> Resources(JsonElement detail) =>
        Items(detail, "resourcesSet").Select(i => Text(i, "resourceId")).Where(id => id is not null).Select(id => id!);

    private static IEnumerable<JsonElement> Items(JsonElement detail, string set)
    {
        if (detail.TryGetProperty("requestParameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty(set, out var s) && s.ValueKind == JsonValueKind.Object
            && s.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object) yield return item;
            }
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;

    [GeneratedRegex("^i-[0-9a-f]{8,17}$")]
    private static partial Regex InstanceId();
}
