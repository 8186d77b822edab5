using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>One slot as the skill sees it: what was heard and, when Alexa resolved it, the canonical value.</summary>
internal sealed record SlotInput(string Name, SlotStatus Status, string? Heard, string? ResolvedName, string? ResolvedId)
{
    /// <summary>The best value to work with: the canonical name when resolved, otherwise the words heard.</summary>
    public string? Value => ResolvedName ?? Heard;

    /// <summary>True when the slot has a value of any kind.</summary>
    public bool HasValue => Status != SlotStatus.Missing;

    /// <summary>
    /// Each value of a multiple-value slot ("web-1 and web-2"), resolved on its own; for an ordinary
    /// slot, the slot itself when it has a value. A multi-value slot as a whole is never Matched, so
    /// a handler reading only <see cref="Value"/> cannot act on just the first of several names.
    /// </summary>
    public IReadOnlyList<SlotInput> Values { get; init; } = [];

    /// <summary>Reads a slot from an intent. Dynamic-entity matches win over static ones, as Alexa documents.</summary>
    public static SlotInput From(Intent? intent, string name)
    {
        if (intent?.Slots is null || !intent.Slots.TryGetValue(name, out var slot) || slot is null)
            return new SlotInput(name, SlotStatus.Missing, null, null, null);
        if (slot.SlotValue is { Type: "List" } list) return FromList(name, slot.Value, list);
        var single = Read(name, slot.Value ?? slot.SlotValue?.Value, slot.Resolutions ?? slot.SlotValue?.Resolutions);
        return single.HasValue ? single with { Values = [single] } : single;
    }

    private static SlotInput FromList(string name, string? wholeValue, SlotValue list)
    {
        var items = (list.Values ?? [])
            .Where(v => v is not null)
            .Select(v => Read(name, v.Value, v.Resolutions))
            .Where(v => v.HasValue)
            .ToList();
        if (items.Count == 0) return new SlotInput(name, SlotStatus.Missing, null, null, null);
        if (items.Count == 1) return items[0] with { Values = items };
        var heard = Clean(wholeValue) ?? string.Join(", ", items.Select(i => i.Heard));
        return new SlotInput(name, SlotStatus.Heard, heard, null, null) { Values = items };
    }

    private static SlotInput Read(string name, string? value, Resolutions? resolutions)
    {
        var heard = Clean(value);
        if (heard is null) return new SlotInput(name, SlotStatus.Missing, null, null, null);
        var authorities = resolutions?.ResolutionsPerAuthority;
        if (authorities is null || authorities.Count == 0) return new SlotInput(name, SlotStatus.Heard, heard, null, null);

        ResolutionValue? match = null;
        foreach (var authority in authorities.OrderBy(a => a?.Authority?.Contains(".er-authority.echo-sdk.dynamic.",
            StringComparison.Ordinal) == true ? 0 : 1))
        {
            if (authority?.Status?.Code == "ER_SUCCESS_MATCH" && authority.Values is { Count: > 0 } values && values[0]?.Value is { } v)
            {
                match = v;
                break;
            }
        }
        return match is null
            ? new SlotInput(name, SlotStatus.NotMatched, heard, null, null)
            : new SlotInput(name, SlotStatus.Matched, heard, Clean(match.Name), match.Id);
    }

    // Speech recognition output is short; anything longer is noise or an attack, so it is cut.
    private static string? Clean(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        if (s.Length > 200) s = s[..200];
        if (s.Equals("?", StringComparison.Ordinal)) return null;
        return s;
    }
}
