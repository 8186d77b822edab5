using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// The sandbox's other accounts and regions: the payments account (444455556666) and Ireland (eu-west-1). Payments has
/// its own web-1, so that "isolate web-1" has to ask which one. The legacy account's role refuses to be assumed.
/// </summary>
internal sealed partial class SandboxWorld
{
    /// <summary>The sandbox's member account, as MEMBER_ACCOUNTS names it.</summary>
    public const string PaymentsAccountId = "444455556666";

    /// <summary>A member account whose role is missing: every call there fails as AccountUnreachable.</summary>
    public const string LegacyAccountId = "777788889999";

    /// <summary>The sandbox's second region.</summary>
    public const string SecondRegion = "eu-west-1";

    /// <summary>MEMBER_ACCOUNTS, MEMBER_EXTERNAL_ID and REGIONS for the sandbox's accounts and regions.</summary>
    public static IReadOnlyDictionary<string, string> ScopesEnvironment { get; } = new Dictionary<string, string>
    {
        ["MEMBER_ACCOUNTS"] = $"payments={PaymentsAccountId},legacy={LegacyAccountId}",
        ["MEMBER_EXTERNAL_ID"] = "sandbox-external-id",
        ["REGIONS"] = $"{Region},{SecondRegion}",
    };

    /// <summary>The account this world is in.</summary>
    public string Owner { get; } = AccountId;

    /// <summary>The region this world is in.</summary>
    public string OwnerRegion { get; } = Region;

    /// <summary>Throws as the legacy account's refused role does; null elsewhere. Ports that do not touch the fleet call it too.</summary>
    public Action? Refusal { get; }

    private SandboxWorld(string accountId, string region)
    {
        const string vpc = "vpc-0c33pay";
        Owner = accountId;
        OwnerRegion = region;
        if (accountId == LegacyAccountId)
        {
            OnCall = Refusal = () => throw new AwsCallException("sts:AssumeRole", AwsFailure.AccountUnreachable, "AccessDenied",
                System.Net.HttpStatusCode.Forbidden, "not authorized to perform sts:AssumeRole");
            return;
        }
        AddGroup("sg-0pay00000000000c1", "web", vpc);
        AddGroup("sg-0pdb00000000000c2", "db", vpc);
        if (accountId == PaymentsAccountId && region == Region)
        {
            Add("i-0f9e8d7c6b5a40001", "web-1", "prod", "web", "prod-linux", vpc, "10.2.1.11", "Online", [["sg-0pay00000000000c1"]]);
            Add("i-0f9e8d7c6b5a40002", "pay-api-1", "prod", "api", "prod-linux", vpc, "10.2.1.12", "Online", [["sg-0pay00000000000c1"]]);
            Add("i-0f9e8d7c6b5a40003", "pay-db-1", "prod", "db", null, vpc, "10.2.2.21", "Online", [["sg-0pdb00000000000c2"]]);
        }
        else if (accountId == PaymentsAccountId)
        {
            Add("i-0d8c7b6a5f4e30001", "pay-eu-1", "prod", "web", "prod-linux", vpc, "10.3.1.11", "Online", [["sg-0pay00000000000c1"]]);
        }
        else if (region == SecondRegion)
        {
            Add("i-0b7a6f5e4d3c20001", "eu-web-1", "prod", "web", "prod-linux", vpc, "10.4.1.11", "Online", [["sg-0pay00000000000c1"]]);
            Add("i-0b7a6f5e4d3c20002", "eu-web-2", "staging", "web", "staging-linux", vpc, "10.4.1.12", "Online",
                [["sg-0pay00000000000c1"]]);
        }
    }

    /// <summary>The world of another account or region of the sandbox (empty for one it does not know).</summary>
    public static SandboxWorld For(string accountId, string region) => new(accountId, region);
}
