namespace SecurityAlexa.Aws;

/// <summary>
/// Every AWS operation the function calls, as IAM action names. Adapters name their calls from this
/// list, and a test checks that template.yaml grants exactly these actions.
/// </summary>
public static class AwsOperations
{
    // Each capability adds its operations here, next to the others of the same service.

    /// <summary>Lists instance tags for target resolution.</summary>
    public const string Ec2DescribeTags = "ec2:DescribeTags";

    /// <summary>Describes instances chosen by tag, id or state.</summary>
    public const string Ec2DescribeInstances = "ec2:DescribeInstances";

    /// <summary>All operations, for the IAM policy check.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Ec2DescribeTags,
        Ec2DescribeInstances,
    ];
}
