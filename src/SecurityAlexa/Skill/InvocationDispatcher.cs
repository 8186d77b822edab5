using System.Buffers;
using System.Text;
using System.Text.Json;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>
/// The function's single entry behind both Lambda runtimes and the local runner: bytes in, bytes out.
/// Alexa requests go to the <see cref="SkillPipeline"/>; other events are recognised by shape (an SQS batch goes
/// to the <see cref="WorkConsumer"/>, the schedule to the <see cref="ScheduleRunner"/>); anything unreadable still
/// gets a well-formed Alexa response.
/// </summary>
internal sealed class InvocationDispatcher(SkillPipeline pipeline, IReadOnlyList<IEventHandler> eventHandlers, SkillLog log,
    WorkConsumer work, ScheduleRunner schedule)
{
    /// <summary>The Alexa pipeline.</summary>
    public SkillPipeline Pipeline { get; } = pipeline;

    /// <summary>
    /// Handles one invocation. Never throws for anything a request can contain; it throws only when even
    /// the apology cannot be produced, so that the runtime reports an invocation error.
    /// </summary>
    public async Task<byte[]> InvokeAsync(ReadOnlyMemory<byte> payload, InvocationInfo info, CancellationToken cancellationToken = default)
    {
        string? locale = null;
        try
        {
            // Files saved by some editors start with a UTF-8 byte order mark, which the JSON reader rejects.
            if (payload.Span.StartsWith(Utf8Bom)) payload = payload[Utf8Bom.Length..];

            SkillRequest? request;
            try
            {
                request = SkillRequestReader.Read(payload.Span);
            }
            catch (JsonException e)
            {
                return Serialize(Pipeline.BadRequest("invalid JSON: " + Shorten(e.Message)));
            }
            catch (InvalidOperationException e)
            {
                return Serialize(Pipeline.BadRequest("unreadable request: " + Shorten(e.Message)));
            }

            if (request?.Request is null)
            {
                if (await TryEventAsync(payload, info, cancellationToken).ConfigureAwait(false) is { } eventResult) return eventResult;
                return Serialize(Pipeline.BadRequest("not an Alexa request"));
            }

            locale = request.Request.Locale;
            if (request.Request.GetType() == typeof(Request))
                log.Info("request.unknown-type", ("requestId", request.Request.RequestId), ("type", PeekRequestType(payload)));

            var response = await Pipeline.HandleAsync(request, info, cancellationToken).ConfigureAwait(false);
            return Serialize(response, locale);
        }
        catch (Exception e)
        {
            // The pipeline already turns handler failures into speech; this is the last line of defence.
            try
            {
                return Serialize(Pipeline.InternalError(e, locale), locale);
            }
            catch (Exception again)
            {
                // Even the apology failed (a broken log sink, say): report it to the runtime.
                throw new AggregateException("The invocation failed and its apology could not be written.", e, again);
            }
        }
    }

    /// <summary>Serializes a response with Alexa's size limits applied, in the default locale's words.</summary>
    public byte[] Serialize(SkillResponse response) => Serialize(response, null);

    private byte[] Serialize(SkillResponse response, string? locale)
    {
        var speech = Pipeline.Speech.For(locale);
        return ResponseLimits.Serialize(response, speech.Text("card.morePointer"), speech.Text("card.title"));
    }

    private async Task<byte[]?> TryEventAsync(ReadOnlyMemory<byte> payload, InvocationInfo info, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(payload); }
        catch (JsonException) { return null; }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (WorkConsumer.IsBatch(root))
            {
                var failures = await work.ConsumeAsync(root, info.LambdaDeadline, cancellationToken).ConfigureAwait(false);
                return JsonSerializer.SerializeToUtf8Bytes(failures, WorkJsonContext.Default.BatchResponse);
            }
            if (ScheduleRunner.IsScheduled(root))
                return EventJson(await schedule.RunAsync(root, info.LambdaDeadline, cancellationToken).ConfigureAwait(false));

            var looksLikeEvent = root.TryGetProperty("detail-type", out _) && root.TryGetProperty("source", out _);
            if (!looksLikeEvent) return null;

            foreach (var handler in eventHandlers)
            {
                if (!handler.CanHandle(root)) continue;
                EventResult result;
                try
                {
                    result = await handler.HandleAsync(root, info.LambdaDeadline, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    log.Error("event.failed", ("handler", handler.GetType().Name), ("exception", e.GetType().FullName),
                        ("message", e.Message));
                    result = new EventResult("failed", e.GetType().Name);
                }
                return EventJson(result);
            }

            log.Security("event.rejected",
                ("source", root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null),
                ("detailType",
                    root.TryGetProperty("detail-type", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null));
            return EventJson(new EventResult("rejected", "unrecognised event"));
        }
    }

    private static byte[] EventJson(EventResult result)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("status", result.Status);
            if (result.Detail is not null) w.WriteString("detail", result.Detail);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string? PeekRequestType(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.Object
                && r.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? Shorten(t.GetString() ?? "")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120];

    /// <summary>UTF-8 text of a response, for logs and tools.</summary>
    public static string Text(byte[] response) => Encoding.UTF8.GetString(response);
}
