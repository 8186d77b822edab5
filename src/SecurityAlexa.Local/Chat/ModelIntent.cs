namespace SecurityAlexa.Local.Chat;

/// <summary>An intent with its slots and sample utterances.</summary>
internal sealed record ModelIntent(string Name, IReadOnlyList<ModelSlot> Slots, IReadOnlyList<string> Samples)
{
    /// <summary>The slot with this name, or null.</summary>
    public ModelSlot? Slot(string name) => Slots.FirstOrDefault(s => s.Name == name);
}
