namespace SecurityAlexa.Targets;

/// <summary>The account's instance tags, indexed for resolution: keys, their values, and which instances carry them.</summary>
internal sealed class TagIndex
{
    private readonly Dictionary<string, Dictionary<string, List<string>>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public TagIndex(IEnumerable<InstanceTag> tags)
    {
        foreach (var tag in tags)
        {
            _ids.Add(tag.InstanceId);
            if (!_byKey.TryGetValue(tag.Key, out var values)) _byKey[tag.Key] = values = new(StringComparer.Ordinal);
            if (!values.TryGetValue(tag.Value, out var ids)) values[tag.Value] = ids = [];
            ids.Add(tag.InstanceId);
            if (tag.Key == NameKey && tag.Value.Length > 0) _names[tag.InstanceId] = tag.Value;
        }
    }

    /// <summary>True when the tag list had more pages than one turn reads: a tag or name not found may exist.</summary>
    public bool Partial { get; init; }

    /// <summary>The tag that names an instance.</summary>
    public const string NameKey = "Name";

    /// <summary>Every tag key, most used first.</summary>
    // Ties keep the order AWS listed them in (OrderBy is stable), so answers are repeatable.
    public IReadOnlyList<string> Keys => _byKey.OrderByDescending(kv => kv.Value.Sum(v => v.Value.Count)).Select(kv => kv.Key).ToList();

    /// <summary>Tag keys worth saying back: not AWS's own (aws:...), not the skill's own (SecurityAlexa:...) and not Name.</summary>
    // The skill's isolation record lives in tags; nobody picks instances by it, so it is not offered.
    public IReadOnlyList<string> SpeakableKeys => Keys.Where(k => !k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)
        && !k.StartsWith(SkillTags.Prefix, StringComparison.OrdinalIgnoreCase) && k != NameKey).ToList();

    /// <summary>The values of a key, most used first.</summary>
    public IReadOnlyList<string> Values(string key) => _byKey.TryGetValue(key, out var values)
        ? values.OrderByDescending(v => v.Value.Count).Select(v => v.Key).ToList()
        : [];

    /// <summary>The instances that carry a key with one of the values.</summary>
    public IReadOnlyList<string> InstancesWith(string key, IEnumerable<string> values) => _byKey.TryGetValue(key, out var byValue)
        ? values.SelectMany(v => byValue.TryGetValue(v, out var ids) ? ids : []).Distinct(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Every instance id that has at least one tag.</summary>
    public IReadOnlyCollection<string> InstanceIds => _ids;

    /// <summary>The Name tag of an instance, or null.</summary>
    public string? NameOf(string instanceId) => _names.GetValueOrDefault(instanceId);

    /// <summary>Every named instance, by id.</summary>
    public IReadOnlyDictionary<string, string> Names => _names;
}
