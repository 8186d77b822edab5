namespace SecurityAlexa.Skill;

/// <summary>
/// The one policy for the time kept back before a turn's deadline. Each kind of work names the reserve it
/// plans against, and <see cref="TurnBudget"/> turns it into a moment; nothing else computes a deadline.
/// </summary>
internal sealed record TurnReserves
{
    /// <summary>The reserves as shipped.</summary>
    public static TurnReserves Default { get; } = new();

    /// <summary>Building and returning the answer, after optional detail is given up on.</summary>
    public TimeSpan Answer { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Answering after a wait on a query that may still be running (blocked traffic).</summary>
    public TimeSpan AnswerAfterWait { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The least time a change should have left when it is started: an AWS call cut off by the deadline leaves the
    /// user unsure whether it happened, so a change that cannot finish is better not begun.
    /// </summary>
    public TimeSpan ToStartAChange { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After the last change of a multi-step change (isolation), the chat post and the answer; what does not fit
    /// is handed on. Isolation reads its value from ISOLATE_RESERVE_MS.
    /// </summary>
    public TimeSpan ChangeAndReport { get; init; } = TimeSpan.FromMilliseconds(2500);
}
