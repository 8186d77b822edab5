namespace SecurityAlexa.Skill;

/// <summary>
/// The ports the capabilities use to reach the outside world: real AWS adapters in Lambda,
/// the simulated account with --sandbox, fakes in tests. Each capability adds its own port.
/// </summary>
public sealed class SkillServices
{
}
