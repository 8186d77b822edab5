using SecurityAlexa.Skill;

namespace SecurityAlexa.GuardDuty;

/// <summary>The GuardDuty slice of the signed session state.</summary>
internal static class GuardDutySession
{
    /// <summary>The slice's place in the session state.</summary>
    public static readonly SessionSlot<GuardDutyMemory> Slot = new("guardduty", GuardDutyJsonContext.Default.GuardDutyMemory);

    extension(SessionState state)
    {
        /// <summary>What the conversation remembers of GuardDuty.</summary>
        public GuardDutyMemory? GuardDuty
        {
            get => Slot.Get(state);
            set => Slot.Set(state, value);
        }
    }
}
