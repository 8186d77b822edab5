using SecurityAlexa.Alexa;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.State;

namespace SecurityAlexa.Security;

/// <summary>
/// Who may use the skill and change the account: the skill id, request age, speakers, replays and the
/// security code. Its guards apply whether or not any capability's ports are present.
/// </summary>
internal sealed class SecurityModule(SkillConfig config, IParameterStore? parameters, ICodeHashKey? codeKey, IStateTable? state,
    IChatNotifier? chat, SkillLog log) : SkillModule
{
    private readonly IReadOnlyList<IRequestGuard> _guards = GuardsOver(SecuritySettings.From(config), parameters, codeKey, state, chat);

    /// <inheritdoc />
    public override IReadOnlyList<IEnvelopeGuard> EnvelopeGuards { get; } = [new SkillIdGuard(config, log)];

    /// <summary>In the order they run: cheap checks first, the state table and Parameter Store last.</summary>
    public override IReadOnlyList<IRequestGuard> Guards => _guards;

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [SecuritySession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "Security";

    private static IReadOnlyList<IRequestGuard> GuardsOver(SecuritySettings settings, IParameterStore? parameters, ICodeHashKey? codeKey,
        IStateTable? state, IChatNotifier? chat) =>
    [
        new RequestAgeGuard(settings),
        new SpeakerGuard(settings),
        new FailClosedGuard(new ReplayGuard(settings, state)),
        new FailClosedGuard(new SecurityCodeGuard(settings, parameters, codeKey, state, chat)),
    ];

    /// <summary>True for requests that must be answered with an empty response whatever happens.</summary>
    internal static bool MustStaySilent(TurnContext turn) => MustStaySilent(turn.Request);

    /// <summary>True for requests that must be answered with an empty response whatever happens.</summary>
    internal static bool MustStaySilent(Request request) => request is SessionEndedRequest or SystemExceptionRequest;

    /// <summary>A refusal: ends the session, records which check refused.</summary>
    internal static Reply Refuse(TurnContext turn, string by, Spoken speech)
    {
        turn.Audit.Refused(by);
        if (MustStaySilent(turn)) return Reply.None().Labelled("refused-" + by);
        if (turn.Request is CanFulfillIntentRequest) return Reply.CanFulfillAnswer(new CanFulfillIntent { CanFulfill = "NO" })
            .Labelled("refused-" + by);
        return Reply.Tell(speech).Labelled("refused-" + by);
    }
}
