namespace SecurityAlexa.Isolation;

/// <summary>A security group the skill created in a VPC, with just enough of its rules to check it is what it claims.</summary>
internal sealed record SkillGroup(string Id, string VpcId, string Role, int IngressRules, int EgressRules, bool EgressIsDefaultOnly);
