using SecurityAlexa.Alexa;
using SecurityAlexa.Security;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Skill;

/// <summary>Everything a handler needs for one request: the request, its state, its words and its deadline.</summary>
internal sealed class TurnContext
{
    public TurnContext(SkillRequest envelope, Request request, Lang lang, SessionState state, CancellationToken cancellation)
    {
        Envelope = envelope;
        Request = request;
        Lang = lang;
        State = state;
        Cancellation = cancellation;
    }

    /// <summary>The whole request envelope.</summary>
    public SkillRequest Envelope { get; }

    /// <summary>The request body.</summary>
    public Request Request { get; }

    /// <summary>The intent request, when this is one.</summary>
    public IntentRequest? IntentRequest => Request as IntentRequest;

    /// <summary>The intent, when this is an intent request.</summary>
    public Intent? Intent => IntentRequest?.Intent;

    /// <summary>The intent's name, or null.</summary>
    public string? IntentName => Intent?.Name;

    /// <summary>The phrases in the request's locale.</summary>
    public Lang Lang { get; }

    /// <summary>What the conversation remembers; changes are written back after the handler.</summary>
    public SessionState State { get; }

    /// <summary>Fires at the request's deadline; pass it into every outgoing call.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>When <see cref="Cancellation"/> fires, by the skill's clock; MaxValue when the turn has no deadline.</summary>
    public DateTimeOffset Deadline { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>The moment the request arrived, by the skill's clock.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The skill's clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The Alexa request id.</summary>
    public string RequestId => Request.RequestId ?? "";

    /// <summary>The hashed account user id.</summary>
    public string? UserHash { get; init; }

    /// <summary>The hashed speaker (voice profile) id, when Alexa recognised the speaker.</summary>
    public string? SpeakerHash { get; init; }

    /// <summary>"Working on it" while a slow call runs.</summary>
    public IProgressiveResponse Progress { get; init; } = NoProgressiveResponse.Instance;

    /// <summary>The structured log.</summary>
    public required SkillLog Log { get; init; }

    /// <summary>The security settings (allow-lists, code, confirmation size, what may be spoken).</summary>
    public SecuritySettings Security { get; init; } = SecuritySettings.Default;

    /// <summary>What this request did, for the audit record the pipeline writes for mutating requests.</summary>
    public AuditTrail Audit { get; init; } = new();

    /// <summary>
    /// The account and region this turn acts in, chosen after the guards (<see cref="ITurnScopes"/>); null when only one
    /// is configured.
    /// </summary>
    public TurnScope? Scope { get; set; }

    /// <summary>
    /// A guard's check still running while the handler reads (the replay claim): null to go on, or its refusal.
    /// <see cref="ConfirmedIntentHandler"/> settles it before anything changes, and the pipeline before it answers.
    /// </summary>
    public Task<Reply?>? DeferredCheck { get; set; }

    /// <summary>True once <see cref="SettleDeferredAsync"/> has found a refusal: the handler's work is then discarded.</summary>
    public bool RefusedLate { get; private set; }

    /// <summary>Waits for <see cref="DeferredCheck"/>, if any; its refusal, or null. Safe to call more than once.</summary>
    public async ValueTask<Reply?> SettleDeferredAsync()
    {
        if (DeferredCheck is not { } check) return null;
        var refusal = await check.ConfigureAwait(false);
        if (refusal is not null) RefusedLate = true;
        return refusal;
    }

    /// <summary>True when <see cref="DeferredCheck"/> (if any) lets the turn go on: the step that changes something may start.</summary>
    public async Task<bool> ClaimWonAsync() => await SettleDeferredAsync().ConfigureAwait(false) is null;

    /// <summary>The dialog state of an intent request (STARTED, IN_PROGRESS, COMPLETED), or null.</summary>
    public string? DialogState => IntentRequest?.DialogState;

    /// <summary>NONE, CONFIRMED or DENIED for the intent.</summary>
    public string IntentConfirmation => Intent?.ConfirmationStatus ?? "NONE";

    /// <summary>Reads one slot of the current intent.</summary>
    public SlotInput Slot(string name) => SlotInput.From(Intent, name);
}
