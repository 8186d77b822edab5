using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>A security code verified in this session, for one speaker, for a short time.</summary>
internal static class SecuritySession
{
    /// <summary>The slice's place in the signed session state.</summary>
    public static readonly SessionSlot<SecuritySessionState> Slot = new("security", SecurityJsonContext.Default.SecuritySessionState);

    extension(SessionState state)
    {
        /// <summary>A security code verified in this session, for one speaker, for a short time.</summary>
        public SecuritySessionState? Security
        {
            get => Slot.Get(state);
            set => Slot.Set(state, value);
        }
    }
}
