namespace SecurityAlexa.Isolation;

/// <summary>A security group to create, with its tags.</summary>
internal sealed record NewSkillGroup(string VpcId, string Name, string Description, IReadOnlyDictionary<string, string> Tags);
