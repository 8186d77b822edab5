using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Accounts;

/// <summary>
/// With several accounts or regions, everything written about a change says where it was made (every chat post and every
/// card, by account name and id and by region), and every read-back says it aloud, also when the account came from an
/// earlier turn rather than this one's words. With one account and region nothing of this appears.
/// </summary>
public sealed class AccountLabelTests
{
    private const string PaymentsWeb1 = "i-0f9e8d7c6b5a40001";
    private const string PaymentsLabel = "[payments " + SandboxWorld.PaymentsAccountId + ", us-east-1] ";
    private const string PaymentsCard = "Account: payments (" + SandboxWorld.PaymentsAccountId + "). Region: North Virginia (us-east-1).\n";

    private sealed record World(SkillDriver Driver, SandboxAccount Home, SandboxAccount Payments);

    // The payments account in North Virginia is built here, with the home account's chat, table and queue as in Lambda, so the
    // test can look at its fleet; every other scope is the sandbox's own.
    private static World Multi()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var home = SandboxAccount.CreateDefault(time);
        var payments = home.Member(SandboxWorld.PaymentsAccountId, SandboxWorld.Region);
        var own = payments.Services();
        var paymentsServices = new SkillServices
        {
            Instances = own.Instances, Isolation = own.Isolation, Containment = own.Containment, FlowLogs = own.FlowLogs,
            TrafficSources = own.TrafficSources, NetworkAcls = own.NetworkAcls, Scanner = own.Scanner, Threats = own.Threats,
            Patches = own.Patches, Chat = home.Chat, Tickets = home.OpsCenter, Parameters = home.Parameters,
            CodeHashKey = home.CodeHashKey, State = home.State, WorkQueue = home.Queue, WorkQueueUrl = home.Queue.Url,
        };
        var sandbox = home.Scoped();
        ScopedServices scoped = (scope, speaker) =>
            scope.AccountId == SandboxWorld.PaymentsAccountId && scope.Region == SandboxWorld.Region ? paymentsServices
            : sandbox(scope, speaker);
        var environment = new Dictionary<string, string>(SandboxWorld.ScopesEnvironment)
        {
            ["FUNCTION_ACCOUNT_ID"] = SandboxWorld.AccountId,
            ["AWS_REGION"] = SandboxWorld.Region,
        };
        return new World(new SkillDriver(home.Services(), environment: environment, time: time, scoped: scoped), home, payments);
    }

    private static bool IsIsolated(SandboxAccount account, string instanceId) =>
        account.World.Locked(w => w.Find(instanceId)!.TerminationProtection);

    [Fact]
    public async Task Isolation_InPayments_ItsCardAndItsChatPostNameTheAccountByNameAndIdAndTheRegion()
    {
        var w = Multi();
        AlexaRequests Isolate() => AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web-1"), ("Account", "payments"));
        await w.Driver.SayAsync(Isolate());

        var done = await w.Driver.SayAsync(Isolate().Confirmation("CONFIRMED"));

        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        Assert.StartsWith(PaymentsCard + "web-1 (" + PaymentsWeb1 + ")", done.CardText, StringComparison.Ordinal);
        var post = Assert.Single(w.Home.Chat.Posts, p => p.Contains("Isolated web-1", StringComparison.Ordinal));
        Assert.StartsWith(PaymentsLabel + "Isolated web-1 (" + PaymentsWeb1 + ")", post, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_InPayments_ItsChatPostAndCardNameTheAccount()
    {
        var w = Multi();
        AlexaRequests Patch() => AlexaRequests.Intent("PatchIntent", ("InstanceName", "web-1"), ("Account", "payments"));
        var readBack = await w.Driver.SayAsync(Patch());
        Assert.StartsWith("In the payments account, in North Virginia. Patching 1 instance, web-1", readBack.Speech,
            StringComparison.Ordinal);

        var started = await w.Driver.SayAsync(Patch().Confirmation("CONFIRMED"));

        Assert.StartsWith("Patching has started", started.Speech, StringComparison.Ordinal);
        Assert.StartsWith(PaymentsCard, started.CardText, StringComparison.Ordinal);
        Assert.NotEmpty(w.Home.Chat.Posts);
        Assert.All(w.Home.Chat.Posts, p => Assert.StartsWith(PaymentsLabel, p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Isolation_AtHomeInIreland_IsLabelledWithTheHomeAccountAndIreland()
    {
        var w = Multi();
        AlexaRequests Isolate() => AlexaRequests.Intent("IsolateIntent", ("InstanceName", "eu-web-1"), ("Region", "Ireland"));
        await w.Driver.SayAsync(Isolate());

        var done = await w.Driver.SayAsync(Isolate().Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. eu-web-1 is isolated", done.Speech, StringComparison.Ordinal);
        Assert.StartsWith("Account: home (" + SandboxWorld.AccountId + "). Region: Ireland (eu-west-1).\n", done.CardText,
            StringComparison.Ordinal);
        Assert.Contains(w.Home.Chat.Posts, p => p.StartsWith("[home " + SandboxWorld.AccountId + ", eu-west-1] Isolated eu-web-1",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithOneAccountAndRegion_NeitherCardNorChatPostSaysWhere()
    {
        var home = SandboxAccount.CreateDefault(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var driver = new SkillDriver(home.Services());
        AlexaRequests Isolate() => AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web-2"));
        await driver.SayAsync(Isolate());

        var done = await driver.SayAsync(Isolate().Confirmation("CONFIRMED"));

        Assert.StartsWith("web-2 (i-0a1b2c3d4e5f60002)", done.CardText, StringComparison.Ordinal);
        Assert.StartsWith("Isolated web-2", Assert.Single(home.Chat.Posts, p => p.Contains("Isolated web-2", StringComparison.Ordinal)),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopeFromAnEarlierTurn_IsSaidInTheReadBackOfEveryChangeMadeThere_AndTheYesActsOnlyThere()
    {
        // GuardDuty is asked about payments; the next commands name no account, so they act where the conversation is, and
        // each read-back says so before anything changes.
        var w = Multi();
        await w.Driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("Account", "payments")));

        var isolateBack = await w.Driver.SayAsync(AlexaRequests.Intent("IsolateFindingIntent"));
        Assert.StartsWith("In the payments account, in North Virginia. Isolating web-1", isolateBack.Speech, StringComparison.Ordinal);
        Assert.False(IsIsolated(w.Payments, PaymentsWeb1));
        await w.Driver.SayAsync(AlexaRequests.Intent("IsolateFindingIntent").Confirmation("CONFIRMED"));
        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        Assert.False(IsIsolated(w.Home, "i-0a1b2c3d4e5f60001"));

        var releaseBack = await w.Driver.SayAsync(AlexaRequests.Intent("ReleaseIntent"));
        Assert.StartsWith("In the payments account, in North Virginia. Releasing web-1", releaseBack.Speech, StringComparison.Ordinal);
        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        var released = await w.Driver.SayAsync(AlexaRequests.Intent("ReleaseIntent").Confirmation("CONFIRMED"));
        Assert.StartsWith("Done. web-1 is released", released.Speech, StringComparison.Ordinal);
        Assert.False(IsIsolated(w.Payments, PaymentsWeb1));

        var patchBack = await w.Driver.SayAsync(AlexaRequests.Intent("PatchIntent", ("InstanceName", "pay-api-1")));
        Assert.StartsWith("In the payments account, in North Virginia. Patching 1 instance, pay-api-1", patchBack.Speech,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopeFromAnEarlierTurn_GivesWayToWhereTheNamedInstanceIs_AndTheReadBackSaysThat()
    {
        var w = Multi();
        await w.Driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent", ("Account", "payments")));

        // web-2 is only at home: the remembered payments account is not where it is looked for alone.
        var readBack = await w.Driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web-2")));

        Assert.StartsWith("In the home account, in North Virginia. Isolating web-2", readBack.Speech, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PatchIntent", "InstanceName=web-2", "Patching 1 instance")]
    [InlineData("ScanIntent", "TagKey=Environment;TagValue=dev", "I'll start an Inspector scan")]
    [InlineData("MalwareScanIntent", "InstanceName=web-2", "")]
    [InlineData("IsolateIntent", "InstanceName=web-2", "Isolating web-2")]
    [InlineData("BlockAddressIntent", "Address=203.0.113.5;InstanceName=web-2", "")]
    public async Task EveryReadBack_WithSeveralAccounts_StartsWithTheAccountAndRegion(string intent, string slots, string then)
    {
        var w = Multi();
        var pairs = slots.Split(';').Select(p => p.Split('=')).Select(p => (p[0], (string?)p[1])).ToArray();

        var readBack = await w.Driver.SayAsync(AlexaRequests.Intent(intent, pairs));

        Assert.NotNull(readBack.Directive("Dialog.ConfirmIntent") ?? readBack.Directive("Dialog.ElicitSlot"));
        Assert.StartsWith("In the home account, in North Virginia. " + then, readBack.Speech, StringComparison.Ordinal);
    }
}
