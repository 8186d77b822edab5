namespace SecurityAlexa.State;

/// <summary>
/// A condition a write is made under. The DynamoDB adapter turns it into a ConditionExpression; the
/// in-memory table evaluates it directly. Times are compared as epoch seconds.
/// </summary>
internal abstract record StateCondition
{
    private StateCondition() { }

    /// <summary>No item, or only one that has expired: how a claim is made.</summary>
    public static StateCondition Absent { get; } = new AbsentItem();

    /// <summary>An item exists and has not expired.</summary>
    public static StateCondition Live { get; } = new LiveItem();

    /// <summary>The number attribute exists and is greater than the value.</summary>
    public static StateCondition Above(string attribute, long value) => new Compare(attribute, ">", value);

    /// <summary>The number attribute exists and is at most the value.</summary>
    public static StateCondition AtMost(string attribute, long value) => new Compare(attribute, "<=", value);

    /// <summary>The number attribute exists and equals the value.</summary>
    public static StateCondition EqualTo(string attribute, long value) => new Compare(attribute, "=", value);

    /// <summary>The item is at exactly this version (how a versioned write is made).</summary>
    public static StateCondition VersionIs(long version) => EqualTo(StateItem.VersionAttribute, version);

    /// <summary>The string attribute exists and equals the text.</summary>
    public static StateCondition TextIs(string attribute, string text) => new TextEquals(attribute, text);

    /// <summary>Both conditions.</summary>
    public StateCondition And(StateCondition other) => new Both(this, other);

    /// <summary>Either condition.</summary>
    public StateCondition Or(StateCondition other) => new Either(this, other);

    /// <summary>True when the condition holds for the item (null: there is none) at <paramref name="now"/>.</summary>
    public abstract bool HoldsFor(StateItem? item, DateTimeOffset now);

    /// <summary>No item, or an expired one.</summary>
    public sealed record AbsentItem : StateCondition
    {
        /// <inheritdoc />
        public override bool HoldsFor(StateItem? item, DateTimeOffset now) => item is null || item.ExpiresAt is { } at
            && at.ToUnixTimeSeconds() <= now.ToUnixTimeSeconds();
    }

    /// <summary>An item that has not expired.</summary>
    public sealed record LiveItem : StateCondition
    {
        /// <inheritdoc />
        public override bool HoldsFor(StateItem? item, DateTimeOffset now) => item is not null && item.IsLiveAt(now);
    }

    /// <summary>A number attribute compared with a value (a missing attribute never matches).</summary>
    public sealed record Compare(string Attribute, string Operator, long Value) : StateCondition
    {
        /// <inheritdoc />
        public override bool HoldsFor(StateItem? item, DateTimeOffset now) => item?.Number(Attribute) is { } n && Operator switch
        {
            ">" => n > Value,
            "<=" => n <= Value,
            "=" => n == Value,
            _ => false,
        };
    }

    /// <summary>Two conditions that must both hold.</summary>
    public sealed record Both(StateCondition Left, StateCondition Right) : StateCondition
    {
        /// <inheritdoc />
        public override bool HoldsFor(StateItem? item, DateTimeOffset now) => Left.HoldsFor(item, now) && Right.HoldsFor(item, now);
    }

    /// <summary>A string attribute equal to a text (a missing attribute never matches).</summary>
    public sealed record TextEquals(string Attribute, string Text) : StateCondition
    {
        /// <inheritdoc />
        public override bool HoldsFor(StateItem? item, DateTimeOffset now) => item?.Text(Attribute) is { } t
            && string.Equals(t, Text, StringComparison.Ordinal);
    }

    /// <summary>Two conditions of which at least one must hold.</summary>
    public sealed record Either(StateCondition Left, StateCondition Right) : StateCondition
    {
        /// <inheritdoc />
        public override bool HoldsFor(StateItem? item, DateTimeOffset now) => Left.HoldsFor(item, now) || Right.HoldsFor(item, now);
    }

    /// <summary>The item has no such attribute (or there is no item).</summary>
    public sealed record AttributeAbsent(string Attribute) : StateCondition
    {
        /// <inheritdoc />
        public override bool HoldsFor(StateItem? item, DateTimeOffset now) => item is null || !item.Attributes.ContainsKey(Attribute);
    }
}
