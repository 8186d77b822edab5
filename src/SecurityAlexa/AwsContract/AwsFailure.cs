namespace SecurityAlexa.AwsContract;

/// <summary>What kind of failure an AWS call had, as far as the user needs to know.</summary>
internal enum AwsFailure
{
    /// <summary>The function's role lacks a permission.</summary>
    AccessDenied,
    /// <summary>AWS is rate-limiting the function.</summary>
    Throttled,
    /// <summary>AWS failed on its side (5xx).</summary>
    ServiceError,
    /// <summary>The call did not answer in time.</summary>
    Timeout,
    /// <summary>The request was refused as invalid (a bad id, a missing resource).</summary>
    InvalidRequest,
    /// <summary>A member account's role is missing, or refused to be assumed (sts:AssumeRole was denied).</summary>
    AccountUnreachable,
    /// <summary>The region is not enabled for the account (an opt-in region), so nothing there can be called.</summary>
    RegionNotEnabled,
    /// <summary>
    /// A setting the call needs is not set (STATE_TABLE): AWS was never asked, so nothing was sent and nothing changed.
    /// </summary>
    NotConfigured,
    /// <summary>Anything else.</summary>
    Other,
}
