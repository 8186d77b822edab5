namespace SecurityAlexa.Skill;

/// <summary>
/// A capability as the core sees it. The composition root lists the modules; the core routes to their
/// handlers, runs their guards and event handlers, and never names a capability.
/// </summary>
internal abstract class SkillModule
{
    /// <summary>Intent and request handlers, in the order they are routed; empty when the module's ports are missing.</summary>
    public virtual IReadOnlyList<IRequestHandler> Handlers => [];

    /// <summary>Handlers for non-Alexa events delivered to the same function.</summary>
    public virtual IReadOnlyList<IEventHandler> EventHandlers => [];

    /// <summary>Handlers for the units of work this module puts on the queue (one per kind).</summary>
    public virtual IReadOnlyList<IWorkHandler> WorkHandlers => [];

    /// <summary>Jobs run on the function's schedule.</summary>
    public virtual IReadOnlyList<IScheduledJob> ScheduledJobs => [];

    /// <summary>Checks on the envelope, before the session is read or a handler is chosen.</summary>
    public virtual IReadOnlyList<IEnvelopeGuard> EnvelopeGuards => [];

    /// <summary>Checks after routing and before the chosen handler, in the order they run.</summary>
    public virtual IReadOnlyList<IRequestGuard> Guards => [];

    /// <summary>The slices of the session state this module keeps (each name is the slice's key in the state).</summary>
    public virtual IReadOnlyList<SessionSlot> Slots => [];

    /// <summary>The folder whose Speech.{locale}.json holds this module's phrases, or null when it says nothing itself.</summary>
    public virtual string? SpeechFolder => null;
}
