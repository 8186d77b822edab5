using System.Text.Json;
using System.Text.RegularExpressions;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolates the one instance of an <c>isolate-instance</c> unit with the same <see cref="InstanceIsolator"/> a turn
/// uses. Delivered twice, it changes nothing the second time: the isolator leaves an isolated instance as it is.
/// What cannot finish now is reported for redelivery, never re-queued, so the redrive count bounds it.
/// </summary>
internal sealed partial class IsolateInstanceWorkHandler(InstanceIsolator isolator, IChatNotifier? chat, SkillLog log, TimeProvider time,
    Lang lang) : IWorkHandler
{
    /// <inheritdoc />
    public string Kind => IsolateInstanceWork.Kind;

    /// <inheritdoc />
    public async Task<WorkOutcome> HandleAsync(WorkItem item, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        IsolateInstanceWork? work;
        try { work = JsonSerializer.Deserialize(item.Payload, IsolationJsonContext.Default.IsolateInstanceWork); }
        catch (JsonException) { work = null; }
        if (work is null) return Poison("malformed payload", null);
        if (work.InstanceId is not { } id || !InstanceId().IsMatch(id)) return Poison("invalid instance id", work.InstanceId);

        var request = work.Request();
        IsolationReport report;
        try
        {
            report = await isolator.IsolateAsync([id], request, new IsolationBudget(deadline - isolator.Options.Reserve, time),
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            log.Warn("isolate.work.failed", ("instance", id), ("operation", e.Operation), ("failure", e.Failure.ToString()));
            return WorkOutcome.Retry;
        }

        var outcome = report.Instances.Single().Outcome;
        log.Info("isolate.work.result", ("instance", id), ("by", request.RequestedBy), ("outcome", outcome.ToString()),
            ("account", isolator.Scope?.AccountId), ("region", isolator.Scope?.Region));
        var text = IsolationSpeech.IsolationChat(lang, report, lang.Text("isolate.chat.inBackground"),
            request.Reason.Length > 0 ? request.Reason : lang.Text("isolate.noReason"), isolator.Options);
        if (chat is not null && text is not null)
        {
            var delivery = await chat.NotifyAsync(new ChatMessage(text), cancellationToken).ConfigureAwait(false);
            if (!delivery.Delivered) log.Warn("chat.failed", ("instance", id), ("why", delivery.Failure));
        }
        var result = outcome switch
        {
            // Gone, terminated, no longer tagged for isolation, or protected: nothing will ever be left to do.
            IsolationOutcome.Isolated or IsolationOutcome.AlreadyIsolated or IsolationOutcome.NotFound or IsolationOutcome.Terminated
                or IsolationOutcome.NotRequested or IsolationOutcome.Protected => WorkOutcome.Done,
            _ => WorkOutcome.Retry,
        };
        // No longer "still being isolated in the background" for anyone who asks.
        if (result == WorkOutcome.Done) await isolator.Queued.DoneAsync(id, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private WorkOutcome Poison(string why, string? detail)
    {
        log.Security("isolate.work.rejected", ("why", why), ("detail", detail is { Length: > 40 } ? detail[..40] : detail));
        return WorkOutcome.Poison;
    }

    [GeneratedRegex("^i-[0-9a-f]{8,17}$")]
    private static partial Regex InstanceId();
}
