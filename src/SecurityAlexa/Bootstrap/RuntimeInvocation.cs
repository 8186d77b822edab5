namespace SecurityAlexa.Bootstrap;

/// <summary>One invocation handed out by the Lambda Runtime API.</summary>
internal sealed record RuntimeInvocation(string RequestId, DateTimeOffset? Deadline, string? FunctionArn, string? TraceId, byte[] Payload);
