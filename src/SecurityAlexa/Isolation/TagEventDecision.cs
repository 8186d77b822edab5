using SecurityAlexa.Skill;

namespace SecurityAlexa.Isolation;

/// <summary>
/// What <see cref="TagEventPolicy.DecideAsync"/> decided about a tag event: a refusal, already posted and audited, or
/// the account and region the event came from, which is where its isolation must act.
/// </summary>
/// <param name="Refusal">The refusal, or null when the event may go on.</param>
/// <param name="AccountId">The event's account (an enrolled one) when it may go on.</param>
/// <param name="Region">The event's region (an allowed one) when it may go on.</param>
internal sealed record TagEventDecision(EventResult? Refusal, string? AccountId, string? Region);
