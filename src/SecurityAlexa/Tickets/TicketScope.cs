namespace SecurityAlexa.Tickets;

/// <summary>
/// Where a ticket's instances are: their account, region and partition, for the related resources' ARNs. The OpsItem
/// itself is always in the skill's own account and region (docs/accounts.md); its instances may be a member account's,
/// or in another region.
/// </summary>
/// <param name="AccountId">The instances' account id; empty when it is not known (then no ARN is written).</param>
/// <param name="Region">The instances' region.</param>
/// <param name="Partition">The region's partition: aws, aws-cn or aws-us-gov.</param>
/// <param name="Away">
/// True unless this is the skill's own account in its own region: the de-duplication key then names the scope, so that the
/// same tag group (or command id) in two accounts stays two incidents.
/// </param>
internal sealed record TicketScope(string AccountId, string Region, string Partition, bool Away)
{
    /// <summary>An instance's ARN, or null when the account is not known.</summary>
    public string? InstanceArn(string instanceId) =>
        AccountId.Length == 0 ? null : "arn:" + Partition + ":ec2:" + Region + ":" + AccountId + ":instance/" + instanceId;
}
