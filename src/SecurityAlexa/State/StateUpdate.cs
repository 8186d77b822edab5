namespace SecurityAlexa.State;

/// <summary>
/// Changes to one item: attributes set, numbers added to atomically (DynamoDB's ADD: a missing number
/// counts as 0), attributes removed. Built fluently: <c>new StateUpdate().Add("failures", 1).Set(...)</c>.
/// </summary>
internal sealed class StateUpdate
{
    private readonly Dictionary<string, StateValue> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _adds = new(StringComparer.Ordinal);
    private readonly List<string> _removes = [];

    /// <summary>Attributes set to a value.</summary>
    public IReadOnlyDictionary<string, StateValue> Sets => _sets;

    /// <summary>Number attributes added to.</summary>
    public IReadOnlyDictionary<string, long> Adds => _adds;

    /// <summary>Attributes removed.</summary>
    public IReadOnlyList<string> Removes => _removes;

    /// <summary>Sets an attribute.</summary>
    public StateUpdate Set(string name, StateValue value)
    {
        _sets[name] = value;
        return this;
    }

    /// <summary>Adds to a number attribute atomically.</summary>
    public StateUpdate Add(string name, long delta)
    {
        _adds[name] = delta;
        return this;
    }

    /// <summary>Removes an attribute.</summary>
    public StateUpdate Remove(string name)
    {
        _removes.Add(name);
        return this;
    }

    /// <summary>Applies the changes to a copy of the attributes (what the table does atomically).</summary>
    public Dictionary<string, StateValue> ApplyTo(IReadOnlyDictionary<string, StateValue>? attributes)
    {
        var result = attributes is null
            ? new Dictionary<string, StateValue>(StringComparer.Ordinal)
            : new Dictionary<string, StateValue>(attributes, StringComparer.Ordinal);
        foreach (var (name, value) in _sets) result[name] = value;
        foreach (var (name, delta) in _adds) result[name] = StateValue.Of((result.TryGetValue(name, out var v) ? v.Number ?? 0 : 0)
            + delta);
        foreach (var name in _removes) result.Remove(name);
        return result;
    }
}
