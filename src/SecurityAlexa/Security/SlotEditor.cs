using SecurityAlexa.Alexa;

namespace SecurityAlexa.Security;

/// <summary>Copies and clears slots of intents sent back to Alexa in dialog directives.</summary>
internal static class SlotEditor
{
    /// <summary>Empties a slot in place (value, structured value and resolutions) and returns what was heard.</summary>
    public static string? Take(Intent? intent, string slotName)
    {
        if (intent?.Slots is not { } slots || !slots.TryGetValue(slotName, out var slot) || slot is null) return null;
        var heard = slot.Value ?? slot.SlotValue?.Value;
        slot.Value = null;
        slot.SlotValue = null;
        slot.Resolutions = null;
        return heard;
    }

    /// <summary>A copy of the intent, with the named slots present but empty, and the given confirmation status.</summary>
    public static Intent CopyWithout(Intent intent, string? confirmationStatus, params ReadOnlySpan<string> emptied)
    {
        var slots = new Dictionary<string, Slot>(StringComparer.Ordinal);
        foreach (var (name, slot) in Bounded(intent.Slots))
            slots[name] = new Slot { Name = name, Value = Cap(slot.Value), ConfirmationStatus = slot.ConfirmationStatus,
                Source = slot.Source };
        foreach (var name in emptied)
        {
            // The slot must exist in updatedIntent for Alexa to elicit it.
            slots[name] = new Slot { Name = name, ConfirmationStatus = "NONE" };
        }
        return new Intent { Name = intent.Name, ConfirmationStatus = confirmationStatus ?? intent.ConfirmationStatus, Slots = slots };
    }

    /// <summary>
    /// Trims an intent that goes back to Alexa in place: at most <see cref="MaxSlots"/> slots, short values,
    /// no resolutions (Alexa ignores them in updatedIntent). A forged request with thousands of slots or
    /// megabytes of values must not produce a response over Alexa's 24 KB limit.
    /// </summary>
    public static void Bound(Intent? intent)
    {
        if (intent?.Slots is not { } slots) return;
        var kept = Bounded(slots).ToList();
        slots.Clear();
        foreach (var (name, slot) in kept)
        {
            slot.Value = Cap(slot.Value);
            slot.Resolutions = null;
            if (slot.SlotValue is { } structured
                && (structured.Value?.Length > MaxValueLength || structured.Values is { Count: > 0 })) slot.SlotValue = null;
            slots[name] = slot;
        }
    }

    /// <summary>The most slots echoed back; real interaction models have a handful per intent.</summary>
    public const int MaxSlots = 40;

    private const int MaxValueLength = 200;

    private static IEnumerable<KeyValuePair<string, Slot>> Bounded(Dictionary<string, Slot>? slots) =>
        (slots ?? []).Where(kv => kv.Value is not null && kv.Key.Length <= 64)
            .OrderBy(kv => kv.Value.Value is null ? 1 : 0)
            .Take(MaxSlots);

    private static string? Cap(string? value) => value is { Length: > MaxValueLength } ? value[..MaxValueLength] : value;

    /// <summary>
    /// The pipeline's safety net for every updatedIntent in a response: the security code is removed and
    /// the intent is bounded (see <see cref="Bound"/>).
    /// </summary>
    public static void SanitizeUpdatedIntents(IEnumerable<Directive>? directives)
    {
        if (directives is null) return;
        foreach (var directive in directives)
        {
            var intent = directive switch
            {
                DialogElicitSlot d => d.UpdatedIntent,
                DialogConfirmIntent d => d.UpdatedIntent,
                DialogConfirmSlot d => d.UpdatedIntent,
                DialogDelegate d => d.UpdatedIntent,
                _ => null,
            };
            Take(intent, SecurityPolicy.SecurityCodeSlot);
            Bound(intent);
        }
    }
}
