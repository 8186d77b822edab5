namespace SecurityAlexa.Skill;

/// <summary>
/// When work that no one is waiting to hear (a queued batch, the schedule) must stop: the Lambda invocation's own
/// deadline less <see cref="Margin"/>, not an Alexa turn's <c>RESPONSE_BUDGET_MS</c>. Without a Lambda deadline
/// (a local <c>invoke</c>) it falls back to the turn's budget.
/// </summary>
internal static class BackgroundDeadline
{
    /// <summary>
    /// Kept back to report <c>batchItemFailures</c> before Lambda stops the invocation (which would retry the whole batch).
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    /// <summary>The moment background work must be finished by.</summary>
    public static DateTimeOffset For(DateTimeOffset arrival, SkillConfig config, DateTimeOffset? lambdaDeadline) =>
        lambdaDeadline is { } deadline ? deadline - Margin : TurnBudget.Deadline(arrival, config, null);

    /// <summary>
    /// The Lambda deadline of an invocation that arrived now, from the configured function timeout; null when it is not
    /// configured. The managed runtime's Stream handler is given no deadline, and this errs early by the runtime's hand-over.
    /// </summary>
    public static DateTimeOffset? FromTimeout(DateTimeOffset arrival, SkillConfig config) =>
        config.FunctionTimeout is { } timeout ? arrival + timeout : null;
}
