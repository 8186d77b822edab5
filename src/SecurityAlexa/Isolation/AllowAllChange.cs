namespace SecurityAlexa.Isolation;

/// <summary>What EC2 said to each half of letting all traffic through a group: the inbound rule and the IPv6 outbound rule.</summary>
internal sealed record AllowAllChange(RuleChange Ingress, RuleChange Egress);
