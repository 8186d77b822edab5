namespace SecurityAlexa.Scanning;

/// <summary>
/// The first rows of a list read to a bounded number of pages, worst first. When <see cref="Complete"/> is false
/// there were more rows, so any sum over <see cref="Items"/> is a lower bound, not a total.
/// </summary>
internal sealed record Bounded<T>(IReadOnlyList<T> Items, bool Complete);
