using System.Text.Json;
using System.Text.RegularExpressions;
using SecurityAlexa.Notifications;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolation by tag: the EventBridge event for a CloudTrail CreateTags call that put the trigger tag
/// on instances. The tag is the request, so there is no confirmation; but only instances that carry
/// the tag now are touched, and an instance already isolated is left as it is, so a redelivered or
/// replayed event changes nothing. With a <see cref="ReplayLedger"/>, an event id is also acted on once
/// across containers: a second delivery makes no AWS change and posts nothing.
/// </summary>
internal sealed partial class TagIsolationEventHandler(InstanceIsolator isolator, IChatNotifier? chat, SkillConfig config, SkillLog log,
    TimeProvider time, Lang lang,
    ReplayLedger? ledger = null, IncidentTickets? tickets = null) : IEventHandler
{
    /// <summary>The replay ledger's scope for these events.</summary>
    public const string LedgerScope = "events";

    /// <inheritdoc />
    public bool CanHandle(JsonElement evt) =>
        Text(evt, "source") == "aws.ec2"
        && Text(evt, "detail-type") == "AWS API Call via CloudTrail"
        && evt.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object
        && Text(detail, "eventName") == "CreateTags"
        // A CreateTags call that failed did not tag anything.
        && !detail.TryGetProperty("errorCode", out _)
        && Tags(detail).Any(t => t.Key == isolator.Options.TriggerTagKey && t.Value == isolator.Options.TriggerTagValue);

    /// <inheritdoc />
    public async Task<EventResult> HandleAsync(JsonElement evt, DateTimeOffset? lambdaDeadline, CancellationToken cancellationToken)
    {
        var detail = evt.GetProperty("detail");
        var eventId = Text(detail, "eventID") ?? Text(evt, "id");
        var ids = Resources(detail).Where(id => InstanceId().IsMatch(id)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            log.Info("isolate.event.ignored", ("eventId", eventId), ("why", "no instance among the tagged resources"));
            return new EventResult("ignored", "no instances");
        }

        // No Alexa is waiting, but the function's own timeout still applies: keep to the same budget.
        var now = time.GetUtcNow();
        var deadline = TurnBudget.Deadline(now, config, lambdaDeadline);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(deadline + config.DeadlineMargin - now);
        var claimed = false;
        if (ledger is not null && eventId is not null)
        {
            try
            {
                if (!await ledger.TryClaimAsync(LedgerScope, eventId, "CreateTags", now, budget.Token).ConfigureAwait(false))
                {
                    log.Info("isolate.event.duplicate", ("eventId", eventId), ("instances", ids));
                    return new EventResult("duplicate", "event " + eventId + " was handled already");
                }
                claimed = true;
            }
            catch (AwsCallException e)
            {
                // Isolating late is worse than isolating twice, and a second isolation changes nothing: go on.
                log.Warn("isolate.event.ledger-unavailable", ("eventId", eventId), ("operation", e.Operation),
                    ("failure", e.Failure.ToString()));
            }
        }

        try
        {
            var result = await IsolateAsync(detail, eventId, ids, now, deadline, budget.Token).ConfigureAwait(false);
            if (claimed && result.Status is not ("isolated" or "unchanged")) await GiveBackAsync(eventId!).ConfigureAwait(false);
            return result;
        }
        catch (Exception)
        {
            // Nothing, or not everything, was done: a redelivery of this event must be able to finish it.
            if (claimed) await GiveBackAsync(eventId!).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<EventResult> IsolateAsync(JsonElement detail, string? eventId, List<string> ids, DateTimeOffset now,
        DateTimeOffset deadline,
        CancellationToken cancellationToken)
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
            ("continuing", report.Continuing));

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
            or IsolationOutcome.NotFound) ? "unchanged"
            : report.Instances.All(i => i.Outcome is IsolationOutcome.Isolated or IsolationOutcome.AlreadyIsolated
                or IsolationOutcome.NotRequested or IsolationOutcome.NotFound) ? "isolated"
            : "isolated-partly";
        return new EventResult(status, string.Join(", ", outcomes) + (delivery.Delivered ? "" : "; chat not notified")
            + (ticket.Failed ? "; ticket not recorded" : ""));
    }

    private async Task GiveBackAsync(string eventId)
    {
        try
        {
            // Its own short budget: the event's may be spent already.
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await ledger!.ReleaseAsync(LedgerScope, eventId, budget.Token).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            // The claim expires by itself after REPLAY_RECORD_MINUTES.
            log.Warn("isolate.event.ledger-release-failed", ("eventId", eventId), ("operation", e.Operation),
                ("failure", e.Failure.ToString()));
        }
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
