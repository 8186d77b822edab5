using SecurityAlexa.Alexa;

namespace SecurityAlexa.Security;

/// <summary>Copies and clears slots of intents sent back to Alexa in dialog directives.</summary>
public static class SlotEditor
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
        if (intent.Slots is { } original)
        {
            foreach (var (name, slot) in original)
            {
                if (slot is null) continue;
                slots[name] = new Slot
                {
                    Name = slot.Name ?? name,
                    Value = slot.Value,
                    ConfirmationStatus = slot.ConfirmationStatus,
                    Source = slot.Source,
                    Resolutions = slot.Resolutions,
                    SlotValue = slot.SlotValue,
                };
            }
        }
        foreach (var name in emptied)
        {
            // The slot must exist in updatedIntent for Alexa to elicit it.
            slots[name] = new Slot { Name = name, ConfirmationStatus = "NONE" };
        }
        return new Intent { Name = intent.Name, ConfirmationStatus = confirmationStatus ?? intent.ConfirmationStatus, Slots = slots };
    }

    /// <summary>Removes the security code from every updatedIntent in the directives (the pipeline's safety net).</summary>
    public static void StripSecurityCode(IEnumerable<Directive>? directives)
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
        }
    }
}
