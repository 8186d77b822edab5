namespace SecurityAlexa.Security;

/// <summary>One AWS call made while answering a request, for the audit record.</summary>
internal sealed record AuditedCall(string Operation, string? AwsRequestId, string? Error);
