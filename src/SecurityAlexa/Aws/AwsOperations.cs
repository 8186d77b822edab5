namespace SecurityAlexa.Aws;

/// <summary>
/// Every AWS operation the function calls, as IAM action names. Adapters name their calls from this
/// list, and a test checks that template.yaml grants exactly these actions.
/// </summary>
public static class AwsOperations
{
    // Each capability adds its operations here, next to the others of the same service.

    /// <summary>Reads the security code hash (SecureString) and lockout records.</summary>
    public const string SsmGetParameter = "ssm:GetParameter";

    /// <summary>Writes lockout records and claims request ids against replay.</summary>
    public const string SsmPutParameter = "ssm:PutParameter";

    /// <summary>Clears a lockout record after a correct code.</summary>
    public const string SsmDeleteParameter = "ssm:DeleteParameter";

    /// <summary>All operations, for the IAM policy check.</summary>
    public static IReadOnlyList<string> All { get; } = [SsmGetParameter, SsmPutParameter, SsmDeleteParameter];
}
