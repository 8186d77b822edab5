using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>Reads the answer to "which ones?" and matches spoken names against the instances offered.</summary>
internal static class PatchSelection
{
    /// <summary>Slot names of the answer.</summary>
    public const string SelectionSlot = "Selection", ExceptNameSlot = "ExceptName";

    private static readonly string[] AllWords =
        ["all", "all of them", "every one", "everyone", "every one of them", "them all", "both", "all instances", "yes all"];
    private static readonly string[] NoneWords = ["none", "none of them", "nothing", "neither", "no"];
    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal) { "just", "only", "the", "instance", "named", "called" };

    // Words that show an unresolved answer was about quantity, not a name: better asked again than matched.
    private static readonly HashSet<string> QuantityWords =
        new(StringComparer.Ordinal) { "all", "every", "everyone", "everything", "each", "both", "none", "nothing", "neither" };

    /// <summary>Reads the answer slots of the current turn.</summary>
    public static SelectionAnswer Read(TurnContext turn)
    {
        var except = turn.Slot(ExceptNameSlot);
        if (except.HasValue) return new SelectionAnswer.Except(except.Value!);
        var selection = turn.Slot(SelectionSlot);
        if (selection.HasValue)
        {
            var words = new[] { selection.ResolvedId, selection.ResolvedName, selection.Heard }
                .Where(w => w is not null).Select(w => w!.Trim().ToLowerInvariant()).ToList();
            if (words.Any(w => NoneWords.Contains(w, StringComparer.Ordinal))) return new SelectionAnswer.None();
            if (words.Any(w => AllWords.Contains(w, StringComparer.Ordinal))) return new SelectionAnswer.All();
        }
        var name = turn.Slot(PatchCandidateFinder.InstanceNameSlot);
        if (name.HasValue) return new SelectionAnswer.Only(name.Value!);
        // On a device a bare "web-1" can land in Selection, matching none of its values: it may be a name.
        if (selection is { HasValue: true, Status: not SlotStatus.Matched, Heard: { } heard }
            && !SpokenMatch.Words(heard).Any(QuantityWords.Contains))
            return new SelectionAnswer.Only(heard);
        return new SelectionAnswer.Unclear();
    }

    /// <summary>
    /// Matches spoken names ("web one", "web-1 and db-1", "ending in four f two a") against the offered
    /// instances. Returns the matched ids and the first spoken part that matched nothing.
    /// </summary>
    public static (IReadOnlyList<string> Ids, string? Unmatched) Match(string heard, IReadOnlyList<string> ids,
        IReadOnlyList<string> names)
    {
        var matched = new List<string>();
        foreach (var part in Split(heard))
        {
            var key = Normalise(part);
            if (key.Length == 0) continue;
            var hits = new List<string>();
            for (var i = 0; i < ids.Count; i++)
            {
                var name = i < names.Count ? names[i] : ids[i];
                var id = Normalise(ids[i]);
                if (WithoutLeadingZeros(Normalise(name)) == WithoutLeadingZeros(key) || id == key
                    || (key.Length >= 4 && id.EndsWith(key, StringComparison.Ordinal)))
                    hits.Add(ids[i]);
            }
            if (hits.Count == 0) return (matched, part.Trim());
            matched.AddRange(hits.Where(h => !matched.Contains(h, StringComparer.Ordinal)));
        }
        return (matched, null);
    }

    /// <summary>
    /// The spoken words without fillers, run together the way target resolution compares them ("just web one" becomes "web1").
    /// </summary>
    public static string Normalise(string text)
    {
        // "the one ending in four f two a": only the ending matters.
        var ending = text.IndexOf("ending in", StringComparison.OrdinalIgnoreCase);
        if (ending >= 0) text = text[(ending + "ending in".Length)..];
        return string.Concat(SpokenMatch.Words(text).Where(w => !Fillers.Contains(w)));
    }

    // "node zero" is node-000 and "web one" is web-01: numbers in names are compared by value.
    private static string WithoutLeadingZeros(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var startOfNumber = i == 0 || !char.IsAsciiDigit(text[i - 1]);
            if (text[i] == '0' && startOfNumber && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                while (i + 1 < text.Length && text[i] == '0' && char.IsAsciiDigit(text[i + 1])) i++;
            }
            sb.Append(text[i]);
        }
        return sb.ToString();
    }

    private static IEnumerable<string> Split(string heard) =>
        heard.Replace(" and ", ",", StringComparison.OrdinalIgnoreCase)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
