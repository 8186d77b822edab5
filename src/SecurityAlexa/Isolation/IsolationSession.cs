using SecurityAlexa.Skill;

namespace SecurityAlexa.Isolation;

/// <summary>A blocked-traffic query still running, kept in the session state to answer from next time.</summary>
internal static class IsolationSession
{
    /// <summary>The slice's place in the signed session state.</summary>
    public static readonly SessionSlot<IsolationMemory> Slot = new("isolation", IsolationJsonContext.Default.IsolationMemory);

    extension(SessionState state)
    {
        /// <summary>A blocked-traffic query still running, kept in the session state to answer from next time.</summary>
        public IsolationMemory? Isolation
        {
            get => Slot.Get(state);
            set => Slot.Set(state, value);
        }
    }
}
