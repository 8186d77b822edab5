namespace SecurityAlexa.State;

/// <summary>
/// What one bounded scan read. A scan stops at its limit or at its page bound, whichever comes first; when that is
/// before the end of the table, <see cref="Continuation"/> says where the next scan goes on, and a caller must not
/// take <see cref="Items"/> for everything there is.
/// </summary>
/// <param name="Items">The live items found, in the table's scan order.</param>
/// <param name="Continuation">
/// Null when the scan reached the end of the table; otherwise the key to pass as <c>after</c> to read on (opaque to
/// callers: a <c>pk</c> value, never one of the items' contents).
/// </param>
internal sealed record StateScan(IReadOnlyList<StateItem> Items, string? Continuation)
{
    /// <summary>True when more items of the kind may exist beyond what was read.</summary>
    public bool More => Continuation is not null;
}
