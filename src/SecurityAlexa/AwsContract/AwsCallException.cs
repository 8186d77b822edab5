using System.Net;

namespace SecurityAlexa.AwsContract;

/// <summary>An AWS call that failed, named by its IAM action so the user can be told what is missing.</summary>
internal sealed class AwsCallException : Exception
{
    public AwsCallException(string operation, AwsFailure failure, string? errorCode, HttpStatusCode? status, string? message,
        Exception? inner = null)
        : base($"{operation} failed: {errorCode ?? failure.ToString()} {message}".Trim(), inner)
    {
        Operation = operation;
        Failure = failure;
        ErrorCode = errorCode;
        Status = status;
    }

    /// <summary>The IAM action name, such as ec2:DescribeInstances.</summary>
    public string Operation { get; }

    /// <summary>The kind of failure.</summary>
    public AwsFailure Failure { get; }

    /// <summary>The AWS error code, such as UnauthorizedOperation.</summary>
    public string? ErrorCode { get; }

    /// <summary>The HTTP status, when there was one.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>AWS's id of the failed request, when the adapter could read it (for the audit trail).</summary>
    public string? RequestId { get; init; }

    /// <summary>Classifies an AWS error code and HTTP status.</summary>
    public static AwsFailure Classify(string? errorCode, HttpStatusCode? status)
    {
        switch (errorCode)
        {
            // An opt-in region the account has not enabled: EC2 says OptInRequired, STS RegionDisabledException.
            case "OptInRequired" or "RegionDisabledException":
                return AwsFailure.RegionNotEnabled;
            case "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" or "UnauthorizedException"
                or "UnrecognizedClientException" or "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException"
                or "AuthFailure" or "MissingAuthenticationToken":
                return AwsFailure.AccessDenied;
            case "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequestsException"
                or "ProvisionedThroughputExceededException" or "SlowDown":
                return AwsFailure.Throttled;
        }
        if (errorCode is not null
            && (errorCode.StartsWith("Invalid", StringComparison.Ordinal) || errorCode.EndsWith("NotFound", StringComparison.Ordinal)
            || errorCode.EndsWith("NotFoundException", StringComparison.Ordinal) || errorCode == "ValidationException"))
            return AwsFailure.InvalidRequest;
        return status switch
        {
            HttpStatusCode.Forbidden => AwsFailure.AccessDenied,
            HttpStatusCode.TooManyRequests => AwsFailure.Throttled,
            HttpStatusCode.BadRequest or HttpStatusCode.NotFound => AwsFailure.InvalidRequest,
            >= HttpStatusCode.InternalServerError => AwsFailure.ServiceError,
            _ => AwsFailure.Other,
        };
    }
}
