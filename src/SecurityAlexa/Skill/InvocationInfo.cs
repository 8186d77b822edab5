namespace SecurityAlexa.Skill;

/// <summary>What the runtime knows about an invocation, apart from its payload.</summary>
internal sealed record InvocationInfo(string? LambdaRequestId = null, DateTimeOffset? LambdaDeadline = null);
