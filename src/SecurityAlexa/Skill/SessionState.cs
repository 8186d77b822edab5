using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>
/// What the skill remembers between turns of one conversation. It travels in Alexa's session
/// attributes, signed (see <see cref="SessionStore"/>), so a client cannot edit it unnoticed.
/// Each capability keeps its own slice.
/// </summary>
internal sealed class SessionState
{
    // Slices read or written this turn, by slot name; written back into Slices before the state is signed.
    private readonly Dictionary<string, (SessionSlot Slot, object? Value)> _open = new(StringComparer.Ordinal);

    /// <summary>An action read back to the user and waiting for a yes.</summary>
    [JsonPropertyName("pending")] public PendingAction? Pending { get; set; }

    /// <summary>The instances the last answer talked about, for "them" and "it".</summary>
    [JsonPropertyName("focus")] public TargetMemory? Focus { get; set; }

    /// <summary>Each module's own slice, by its <see cref="SessionSlot.Name"/>, as carried in the signed state.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Slices { get; set; }

    /// <summary>True when nothing is remembered.</summary>
    [JsonIgnore]
    public bool IsEmpty
    {
        get
        {
            Close();
            return Pending is null && Focus is null && Slices is not { Count: > 0 };
        }
    }

    internal T? Read<T>(SessionSlot<T> slot) where T : class
    {
        if (_open.TryGetValue(slot.Name, out var open)) return open.Value as T;
        var value = Slices is { } slices && slices.TryGetValue(slot.Name, out var element) ? slot.Parse(element) : null;
        _open[slot.Name] = (slot, value);
        return value;
    }

    internal void Write<T>(SessionSlot<T> slot, T? value) where T : class => _open[slot.Name] = (slot, value);

    /// <summary>Writes the slices used this turn back into <see cref="Slices"/>, ready to be signed.</summary>
    internal void Close()
    {
        foreach (var (name, (slot, value)) in _open)
        {
            if (slot.Serialize(value) is { } element) (Slices ??= new(StringComparer.Ordinal))[name] = element;
            else Slices?.Remove(name);
        }
    }
}
