using System.Diagnostics;
using System.Security.Cryptography;
using SecurityAlexa.Alexa;
using SecurityAlexa.Security;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Skill;

/// <summary>
/// Answers one parsed Alexa request: runs the envelope guards (the skill id), restores state, routes to the first
/// handler that can handle it, enforces the deadline, and turns every failure into speech.
/// Nothing thrown by a handler escapes.
/// </summary>
internal sealed class SkillPipeline
{
    // How long past the deadline a handler that ignores its token is waited for.
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    private readonly SkillConfig _config;
    private readonly SpeechCatalog _speech;
    private readonly IReadOnlyList<IRequestHandler> _handlers;
    private readonly IReadOnlyList<IRequestGuard> _guards;
    private readonly IReadOnlyList<IEnvelopeGuard> _envelopeGuards;
    private readonly SessionStore _store;
    private readonly SkillLog _log;
    private readonly TimeProvider _time;
    private readonly Func<SkillRequest, IProgressiveResponse> _progress;
    private readonly SecuritySettings _security;
    private readonly ITurnScopes? _scopes;

    public SkillPipeline(
        SkillConfig config,
        SpeechCatalog speech,
        IReadOnlyList<IRequestHandler> handlers,
        IReadOnlyList<IRequestGuard> guards,
        SessionStore store,
        SkillLog log,
        TimeProvider time,
        Func<SkillRequest, IProgressiveResponse> progress,
        IReadOnlyList<IEnvelopeGuard>? envelopeGuards = null,
        ITurnScopes? scopes = null)
    {
        _scopes = scopes;
        _envelopeGuards = envelopeGuards ?? [];
        _config = config;
        _speech = speech;
        _handlers = handlers;
        _guards = guards;
        _store = store;
        _log = log;
        _time = time;
        _progress = progress;
        _security = SecuritySettings.From(config);
    }

    /// <summary>The handlers in routing order.</summary>
    public IReadOnlyList<IRequestHandler> Handlers => _handlers;

    /// <summary>The speech catalogue.</summary>
    public SpeechCatalog Speech => _speech;

    /// <summary>The reply for a payload that is not a readable Alexa request.</summary>
    public SkillResponse BadRequest(string reason, string? locale = null)
    {
        _log.Warn("request.invalid", ("reason", reason));
        var lang = _speech.For(locale);
        return Render(Reply.Tell(lang.Say("badRequest")).Labelled("bad-request"), null, null, lang);
    }

    /// <summary>Answers one request.</summary>
    public async Task<SkillResponse> HandleAsync(SkillRequest envelope, InvocationInfo info, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var request = envelope.Request;
        var lang = _speech.For(request?.Locale);
        var userHash = IdentityHash.Of(envelope.UserId, _config.IdHashSalt);
        var speakerHash = IdentityHash.Of(envelope.PersonId, _config.IdHashSalt);
        string? errorRef = null;
        string? handlerName = null;
        Reply reply;
        SessionState? state = null;
        var mutating = false;
        // Collects the AWS calls made on this async flow, for the audit record.
        var audit = new AuditTrail();
        AwsCallObserver.Use(audit);

        if (request is null)
        {
            return BadRequest("no request body", request?.Locale);
        }

        foreach (var guard in _envelopeGuards)
        {
            if (guard.Check(envelope, request, lang, userHash) is not { } refusal) continue;
            LogSummary(request, info, userHash, refusal.Outcome, started, null, null, null);
            return Render(refusal, null, null, lang);
        }

        var (loaded, outcome) = _store.Read(envelope.Session);
        state = loaded;
        if (outcome == SessionStore.ReadOutcome.Rejected)
            _log.Security("session-state.rejected", ("requestId", request.RequestId), ("userHash", userHash));

        using var deadline = RequestDeadline.Start(_time, _config, info.LambdaDeadline, cancellationToken);
        var turn = new TurnContext(envelope, request, lang, state, deadline.Token)
        {
            Now = _time.GetUtcNow(),
            Deadline = deadline.At,
            Time = _time,
            UserHash = userHash,
            SpeakerHash = speakerHash,
            Progress = new DiscreetProgressiveResponse(_progress(envelope), lang, _security),
            Log = _log,
            Security = _security,
            Audit = audit,
        };

        try
        {
            var handler = Route(turn);
            handlerName = handler.GetType().Name;
            mutating = SecurityPolicy.IsMutating(turn, handler);
            reply = await RunWithDeadline(turn, handler, deadline).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{handlerName} returned no reply.");
        }
        catch (OperationCanceledException) when (deadline.Token.IsCancellationRequested)
        {
            reply = Reply.Tell(lang.Say("error.timeout")).Labelled("deadline");
        }
        catch (AwsCallException e)
        {
            // A missing setting is the same on every request until someone deploys: said once, not once a turn.
            if (e.Failure != AwsFailure.NotConfigured)
                _log.Error("aws.failed", ("requestId", request.RequestId), ("operation", e.Operation), ("failure", e.Failure.ToString()),
                    ("errorCode", e.ErrorCode), ("status", e.Status is { } s ? (int)s : null));
            else
                _log.ErrorOnce("config.missing", ("requestId", request.RequestId), ("operation", e.Operation), ("errorCode", e.ErrorCode),
                    ("message", e.Message));
            reply = Reply.Tell(ErrorSpeech.ForAws(lang, e, turn.Scope?.Account)).Labelled("aws-" + e.Failure.ToString().ToLowerInvariant());
        }
        catch (Exception e)
        {
            errorRef = NewReference();
            _log.Error("handler.failed", ("requestId", request.RequestId), ("errorRef", errorRef), ("handler", handlerName),
                ("exception", e.GetType().FullName), ("message", e.Message), ("stack", e.StackTrace));
            reply = Reply.Tell(ErrorSpeech.Unexpected(lang, errorRef)).Labelled("error");
        }

        // A check that refused after the handler ran: what the handler read and remembered is not kept.
        Observed.Forget(turn.DeferredCheck);
        if (turn.RefusedLate) state = _store.Read(envelope.Session).State;

        if (outcome == SessionStore.ReadOutcome.Rejected && !reply.Silent && !reply.Directives.Any(d => d is DialogDelegate))
            reply = Prefix(reply, lang.Say("state.reset"));

        if (mutating)
            AuditLog.Write(_log.Sink, _time.GetUtcNow(), turn, audit,
                new AuditLog.Facts(handlerName, reply.Outcome, errorRef, Stopwatch.GetElapsedTime(started)));
        LogSummary(request, info, userHash, reply.Outcome, started, handlerName, errorRef, deadline.At);
        return Render(reply, envelope.Session?.SessionId, state, lang);
    }

    /// <summary>
    /// The answer when something failed outside any handler (in parsing or rendering): an apology
    /// with a reference, logged with that reference.
    /// </summary>
    public SkillResponse InternalError(Exception e, string? locale = null)
    {
        var errorRef = NewReference();
        _log.Error("dispatcher.failed", ("errorRef", errorRef), ("exception", e.GetType().FullName), ("message", e.Message),
            ("stack", e.StackTrace));
        var lang = _speech.For(locale);
        return Render(Reply.Tell(ErrorSpeech.Unexpected(lang, errorRef)).Labelled("error"), null, null, lang);
    }

    /// <summary>The first handler that can handle the turn; the chain always ends in a catch-all.</summary>
    public IRequestHandler Route(TurnContext turn)
    {
        foreach (var handler in _handlers)
        {
            if (handler.CanHandle(turn)) return handler;
        }
        return new UnknownRequestHandler();
    }

    private async Task<Reply?> RunWithDeadline(TurnContext turn, IRequestHandler handler, RequestDeadline deadline)
    {
        // The watchdog starts before any guard or handler code runs, so that a guard or handler that
        // ignores its token still cannot hold the answer past Alexa's limit.
        using var watchdogCts = new CancellationTokenSource();
        var watchdog = Task.Delay(deadline.Remaining(_time) + Grace, _time, watchdogCts.Token);
        var work = GuardThenHandleAsync(turn, handler);
        if (!work.IsCompleted)
        {
            var first = await Task.WhenAny(work, watchdog).ConfigureAwait(false);
            if (first != work)
            {
                // Observe the abandoned work's eventual failure so it is not reported as unobserved.
                Observed.Forget(work);
                // The deadline's own timer may not have fired yet under load; without this the cancellation below would
                // not match the deadline filter and would be reported as an unexpected error.
                deadline.Expire();
                throw new OperationCanceledException(deadline.Token);
            }
        }
        await watchdogCts.CancelAsync().ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }

    private async Task<Reply?> GuardThenHandleAsync(TurnContext turn, IRequestHandler handler)
    {
        foreach (var guard in _guards)
        {
            if (await guard.CheckAsync(turn, handler).ConfigureAwait(false) is { } refusal)
                return await turn.SettleDeferredAsync().ConfigureAwait(false) ?? refusal;
        }
        // The guards judged the handler routed at home; its counterpart in the chosen account and region acts.
        if (_scopes is not null) handler = await _scopes.ChooseAsync(turn, handler).ConfigureAwait(false);
        Reply reply;
        try
        {
            reply = await handler.HandleAsync(turn).ConfigureAwait(false);
        }
        catch (Exception) when (turn.DeferredCheck is not null)
        {
            // A refused or failed claim is the answer, whatever the read-back ran into meanwhile.
            if (await turn.SettleDeferredAsync().ConfigureAwait(false) is { } refusal) return refusal;
            throw;
        }
        // A deferred check (the replay claim beside a read-back) decides before the answer leaves.
        return await turn.SettleDeferredAsync().ConfigureAwait(false) ?? reply;
    }

    private SkillResponse Render(Reply reply, string? sessionId, SessionState? state, Lang lang)
    {
        var response = new SkillResponse();
        if (reply.Silent)
        {
            response.Response.CanFulfillIntent = reply.CanFulfill;
            return response;
        }
        // Dialog.Delegate must carry no speech, so empty speech is left out rather than sent as <speak/>.
        if (!reply.Speech.IsEmpty) response.Response.OutputSpeech = reply.Speech.ToOutputSpeech();
        if (reply.Reprompt
            is { IsEmpty: false } reprompt) response.Response.Reprompt = new Reprompt { OutputSpeech = reprompt.ToOutputSpeech() };
        response.Response.Card = reply.Card;
        response.Response.ShouldEndSession = reply.EndSession;
        if (reply.Directives.Count > 0) response.Response.Directives = reply.Directives;
        if (state is not null && reply.EndSession != true) response.SessionAttributes = _store.Write(sessionId, state);
        // Safety nets: the security code never goes back to Alexa, and nothing unspeakable is spoken.
        SlotEditor.SanitizeUpdatedIntents(response.Response.Directives);
        Discretion.Apply(response, lang, _security);
        return response;
    }

    private static Reply Prefix(Reply reply, Spoken prefix)
    {
        var combined = reply.EndSession == true
            ? Reply.Tell(Spoken.Join(prefix, reply.Speech))
            : Reply.Ask(Spoken.Join(prefix, reply.Speech), reply.Reprompt ?? reply.Speech);
        foreach (var d in reply.Directives) combined.With(d);
        if (reply.Card is { } card) combined.WithCard(card.Title ?? "", card.Body);
        return combined.Labelled(reply.Outcome);
    }

    private void LogSummary(Request request, InvocationInfo info, string? userHash, string outcome, long started, string? handler,
        string? errorRef, DateTimeOffset? deadline)
    {
        _log.Info("invocation",
            ("requestId", request.RequestId),
            ("lambdaRequestId", info.LambdaRequestId),
            ("requestType", request.Type),
            ("intent", (request as IntentRequest)?.Intent?.Name),
            ("dialogState", (request as IntentRequest)?.DialogState),
            ("userHash", userHash),
            ("handler", handler),
            ("outcome", outcome),
            ("errorRef", errorRef),
            ("deadline", deadline),
            ("durationMs", Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }

    private static string NewReference()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Span<byte> bytes = stackalloc byte[5];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[5];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[bytes[i] % alphabet.Length];
        return new string(chars);
    }
}
