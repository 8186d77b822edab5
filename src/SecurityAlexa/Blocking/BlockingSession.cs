using SecurityAlexa.Skill;

namespace SecurityAlexa.Blocking;

/// <summary>The blocking slice of the session state.</summary>
internal static class BlockingSession
{
    /// <summary>The slice's place in the signed session state.</summary>
    public static readonly SessionSlot<BlockingMemory> Slot = new("blocking", BlockingJsonContext.Default.BlockingMemory);

    extension(SessionState state)
    {
        /// <summary>The instance last asked about, a running query and the sources heard.</summary>
        public BlockingMemory? Blocking
        {
            get => Slot.Get(state);
            set => Slot.Set(state, value);
        }
    }
}
