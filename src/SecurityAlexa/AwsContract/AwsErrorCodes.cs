namespace SecurityAlexa.AwsContract;

/// <summary>
/// AWS error codes a capability raises itself, to report a refusal the way EC2 would have. Capabilities never match on error
/// codes: adapters turn the ones that mean "already as wanted" into typed results.
/// </summary>
internal static class AwsErrorCodes
{
    /// <summary>A security group of that name exists in the VPC, and is not the one wanted.</summary>
    public const string Ec2GroupDuplicate = "InvalidGroup.Duplicate";
}
