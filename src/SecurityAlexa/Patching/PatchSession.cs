using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>An open "which ones?" question and the last patch run, kept in the session state.</summary>
internal static class PatchSession
{
    /// <summary>The slice's place in the signed session state.</summary>
    public static readonly SessionSlot<PatchMemory> Slot = new("patch", PatchingJsonContext.Default.PatchMemory);

    extension(SessionState state)
    {
        /// <summary>An open "which ones?" question and the last patch run, kept in the session state.</summary>
        public PatchMemory? Patch
        {
            get => Slot.Get(state);
            set => Slot.Set(state, value);
        }
    }
}
