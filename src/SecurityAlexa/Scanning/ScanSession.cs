using SecurityAlexa.Skill;

namespace SecurityAlexa.Scanning;

/// <summary>The scan this conversation started, kept in the session state.</summary>
internal static class ScanSession
{
    /// <summary>The slice's place in the signed session state.</summary>
    public static readonly SessionSlot<ScanMemory> Slot = new("scan", ScanningJsonContext.Default.ScanMemory);

    extension(SessionState state)
    {
        /// <summary>The scan this conversation started, kept in the session state.</summary>
        public ScanMemory? Scan
        {
            get => Slot.Get(state);
            set => Slot.Set(state, value);
        }
    }
}
