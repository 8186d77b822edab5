using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>
/// GuardDuty findings with member accounts, end to end through the real entry point over the sandbox's scopes: each
/// scope answers from its own detector (payments its own web-1, Ireland none, legacy refusing), "in every account" is a
/// short summary per scope without the isolate offer, and cards name the finding's account.
/// </summary>
public sealed class GuardDutyAccountsTests
{
    private const string HomeWeb1 = "i-0a1b2c3d4e5f60001";
    private const string PaymentsWeb1 = "i-0f9e8d7c6b5a40001";
    private const string IsolateHint = "isolate the instance from that finding";

    private static SkillDriver Multi()
    {
        var home = SandboxAccount.CreateDefault(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var environment = new Dictionary<string, string>(SandboxWorld.ScopesEnvironment)
        {
            ["FUNCTION_ACCOUNT_ID"] = SandboxWorld.AccountId,
            ["AWS_REGION"] = SandboxWorld.Region,
        };
        return new SkillDriver(home.Services(), environment: environment, scoped: home.Scoped());
    }

    private static AlexaRequests Findings(string account, string? resolved = null)
    {
        var request = AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null), ("Account", account));
        return resolved is null ? request : request.Resolved("Account", account, resolved);
    }

    [Fact]
    public async Task FindingsInEveryAccount_SummarisesEachScope_NamesIrelandsMissingDetectorAndLegacy_WithoutTheIsolateOffer()
    {
        var driver = Multi();

        var reply = await driver.SayAsync(Findings("every account", "every"));

        Assert.Contains("home in North Virginia: In the last 24 hours, GuardDuty reported 5 findings: 3 high, 1 medium and 1 low.",
            reply.Speech, StringComparison.Ordinal);
        Assert.Contains("The most severe: On web-1,", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("payments in North Virginia: In the last 24 hours, GuardDuty reported 2 findings: 1 high and 1 low. The most severe: On web-1,",
            reply.Speech, StringComparison.Ordinal);
        Assert.Contains("home in Ireland: GuardDuty isn't turned on in this region.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("payments in Ireland: GuardDuty isn't turned on in this region.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("I can't reach the legacy account: its role refused me.", reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain(IsolateHint, reply.Speech, StringComparison.Ordinal);
        // One closing question for the whole answer, and one GuardDuty answer per scope: no scope's full answer is read.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(reply.Speech, "Anything else"));
        Assert.DoesNotContain("The most severe first", reply.Speech, StringComparison.Ordinal);
        Assert.True(reply.Speech.Length < 1200, $"{reply.Speech.Length} characters: {reply.Speech}");
    }

    [Fact]
    public async Task FindingsInThePaymentsAccount_AnswersWithPaymentsOwnFindingAndInstance_AndTheCardNamesTheAccount()
    {
        var driver = Multi();

        var reply = await driver.SayAsync(Findings("payments"));

        Assert.Contains("GuardDuty reported 2 findings: 1 high and 1 low.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("On web-1,", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("On pay-api-1,", reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("web-3", reply.Speech, StringComparison.Ordinal);
        // A single scope keeps the full answer, offer included.
        Assert.Contains(IsolateHint, reply.Speech, StringComparison.Ordinal);
        Assert.Contains("payments account, id 9ad7b2c3d4e5f60718293a4b5c6d7e01, instance web-1 (" + PaymentsWeb1 + ")", reply.CardText,
            StringComparison.Ordinal);
        Assert.DoesNotContain(HomeWeb1, reply.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindingsAtHome_WithMemberAccounts_TheCardNamesTheHomeAccount()
    {
        var driver = Multi();

        var reply = await driver.SayAsync(Findings("home"));

        Assert.Contains("home account, id 8ac6a1f2b3c4d5e6f708192a3b4c5d01, instance web-1 (" + HomeWeb1 + ")", reply.CardText,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindingsWithOneAccount_TheCardNamesNoAccount()
    {
        var driver = new SkillDriver(SandboxAccount.CreateDefault(new FakeTimeProvider(DateTimeOffset.UtcNow)).Services());

        var reply = await driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null)));

        Assert.Contains("id 8ac6a1f2b3c4d5e6f708192a3b4c5d01, instance web-1", reply.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain("account,", reply.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindingsInIreland_SaysTheDetectorIsOff_AndInLegacy_SaysTheRoleRefused()
    {
        var driver = Multi();

        var ireland = await driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null),
            ("Account", "payments"), ("Region", "ireland")).Resolved("Region", "ireland", "eu-west-1"));
        var legacy = await driver.SayAsync(Findings("legacy"));

        Assert.StartsWith("GuardDuty isn't turned on in this region", ireland.Speech, StringComparison.Ordinal);
        Assert.Contains("legacy", legacy.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("GuardDuty reported", legacy.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThatFinding_AfterTheConversationMovedToAnotherAccount_SaysWhichAccountItIsFrom_ChangesNothing_AndIsolatesItThere()
    {
        var home = SandboxAccount.CreateDefault(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var environment = new Dictionary<string, string>(SandboxWorld.ScopesEnvironment)
        {
            ["FUNCTION_ACCOUNT_ID"] = SandboxWorld.AccountId,
            ["AWS_REGION"] = SandboxWorld.Region,
        };
        var driver = new SkillDriver(home.Services(), environment: environment, scoped: home.Scoped());
        AlexaRequests IsolateFinding(string? account = null) =>
            AlexaRequests.Intent("IsolateFindingIntent", ("ConfirmCount", null), ("SecurityCode", null), ("Account", account));

        var findings = await driver.SayAsync(Findings("home"));
        Assert.Contains(IsolateHint, findings.Speech, StringComparison.Ordinal);
        // A question about payments in Ireland moves the conversation there (and has no finding to remember).
        var moved = await driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null),
            ("Account", "payments"), ("Region", "ireland")).Resolved("Region", "ireland", "eu-west-1"));
        Assert.StartsWith("GuardDuty isn't turned on in this region", moved.Speech, StringComparison.Ordinal);

        var refused = await driver.SayAsync(IsolateFinding());

        Assert.StartsWith("That finding is from the home account, in North Virginia, and we're now in the payments account, in Ireland, "
            + "so I haven't changed anything. To isolate its instance, say: isolate the instance from that finding in the home account in "
            + "North Virginia.", refused.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("Dialog.ConfirmIntent", refused.DirectiveTypes);
        Assert.False(home.World.Find(HomeWeb1)!.TerminationProtection);

        var readBack = await driver.SayAsync(IsolateFinding("home"));

        Assert.StartsWith("In the home account, in North Virginia.", readBack.Speech, StringComparison.Ordinal);
        Assert.Contains("Isolating web-1, instance ending in 0001", readBack.Speech, StringComparison.Ordinal);
        Assert.Equal(["Dialog.ConfirmIntent"], readBack.DirectiveTypes);
    }

    [Fact]
    public async Task MalwareScanResults_AfterTheConversationMovedToAnotherAccount_SaysWhereTheScanIs_AndAnswersThere()
    {
        var driver = Multi();
        AlexaRequests Scan(string? account) =>
            AlexaRequests.Intent("MalwareScanIntent", ("InstanceName", "web one"), ("ConfirmCount", null), ("SecurityCode", null),
                ("Account", account));
        AlexaRequests Results(string? account, string? region) => region is null
            ? AlexaRequests.Intent("MalwareScanResultsIntent", ("InstanceName", null), ("Account", account), ("Region", null))
            : AlexaRequests.Intent("MalwareScanResultsIntent", ("InstanceName", null), ("Account", account), ("Region", region))
                .Resolved("Region", region, "us-east-1");
        await driver.SayAsync(Scan("home"));
        var started = await driver.SayAsync(Scan("home").Confirmation("CONFIRMED"));
        Assert.Contains("malware scan", started.Speech, StringComparison.OrdinalIgnoreCase);
        var moved = await driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null),
            ("Account", "payments"), ("Region", "ireland")).Resolved("Region", "ireland", "eu-west-1"));
        Assert.StartsWith("GuardDuty isn't turned on in this region", moved.Speech, StringComparison.Ordinal);

        var elsewhere = await driver.SayAsync(Results(null, null));

        Assert.StartsWith("The malware scan I started is in the home account, in North Virginia, and we're now in the payments account, "
            + "in Ireland. To hear how it went, say: what did the malware scan find in the home account in North Virginia.",
            elsewhere.Speech, StringComparison.Ordinal);

        var there = await driver.SayAsync(Results("home", "north virginia"));

        Assert.Contains("web-1", there.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("isn't turned on", there.Speech, StringComparison.Ordinal);
    }
}
