using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Accounts;
using SecurityAlexa.Isolation;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Accounts;

/// <summary>
/// Issue 14: records, queued units, the sweeper and tag events act in the account and region of their target, over the
/// sandbox's home account and its payments account (another web-1), with the home account's one state table and queue.
/// </summary>
public sealed class ScopedWorkTests
{
    private const string HomeWeb1 = "i-0a1b2c3d4e5f60001";
    private const string PaymentsWeb1 = "i-0f9e8d7c6b5a40001";
    private const string PaymentsKey = SandboxWorld.PaymentsAccountId + "/" + SandboxWorld.Region;
    private const string QueueArn = "arn:aws:sqs:us-east-1:111122223333:SecurityAlexa-WorkQueue";

    private sealed record World(SkillDriver Driver, SandboxAccount Home, SandboxAccount Payments, SandboxAccount PaymentsIreland,
        SandboxAccount HomeIreland)
    {
        public int HomeCalls;
        public int PaymentsCalls;
        public int PaymentsIrelandCalls;
    }

    private static World Multi()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var home = SandboxAccount.CreateDefault(time);
        var payments = home.Member(SandboxWorld.PaymentsAccountId, SandboxWorld.Region);
        var paymentsIreland = home.Member(SandboxWorld.PaymentsAccountId, SandboxWorld.SecondRegion);
        var homeIreland = home.Member(SandboxWorld.AccountId, SandboxWorld.SecondRegion);
        var homeServices = home.Services();
        // A member's fleet with the skill's own ports (table, queue, chat) from home, as in Lambda.
        SkillServices Member(SandboxAccount member)
        {
            var own = member.Services();
            return new SkillServices
            {
                Instances = own.Instances, Isolation = own.Isolation, Containment = own.Containment, FlowLogs = own.FlowLogs,
                TrafficSources = own.TrafficSources, NetworkAcls = own.NetworkAcls, Scanner = own.Scanner, Threats = own.Threats,
                Patches = own.Patches, Chat = home.Chat, Tickets = home.OpsCenter, Parameters = home.Parameters,
                CodeHashKey = home.CodeHashKey, State = home.State, WorkQueue = home.Queue, WorkQueueUrl = home.Queue.Url,
            };
        }
        var paymentsServices = Member(payments);
        var paymentsIrelandServices = Member(paymentsIreland);
        var homeIrelandServices = Member(homeIreland);
        ScopedServices scoped = (scope, _) =>
            scope.IsHome && scope.Region == SandboxWorld.Region ? homeServices
            : scope.IsHome && scope.Region == SandboxWorld.SecondRegion ? homeIrelandServices
            : scope.AccountId == SandboxWorld.PaymentsAccountId && scope.Region == SandboxWorld.Region ? paymentsServices
            : scope.AccountId == SandboxWorld.PaymentsAccountId && scope.Region == SandboxWorld.SecondRegion ? paymentsIrelandServices
            : scope.AccountId == SandboxWorld.LegacyAccountId
                ? throw new InvalidOperationException("the legacy account's role refused")
                : throw new InvalidOperationException("no such scope in this test");
        var environment = new Dictionary<string, string>(SandboxWorld.ScopesEnvironment)
        {
            ["FUNCTION_ACCOUNT_ID"] = SandboxWorld.AccountId,
            ["AWS_REGION"] = SandboxWorld.Region,
            ["ISOLATE_TAG_PRINCIPALS"] = "arn:aws:sts::*:assumed-role/SecOps/*",
        };
        var world = new World(new SkillDriver(homeServices, environment: environment, time: time, scoped: scoped), home, payments,
            paymentsIreland, homeIreland);
        home.World.OnCall = () => Interlocked.Increment(ref world.HomeCalls);
        payments.World.OnCall = () => Interlocked.Increment(ref world.PaymentsCalls);
        paymentsIreland.World.OnCall = () => Interlocked.Increment(ref world.PaymentsIrelandCalls);
        return world;
    }

    private static bool IsIsolated(SandboxAccount account, string instanceId) =>
        account.World.Locked(w => w.Find(instanceId)!.TerminationProtection);

    private static IReadOnlyList<string> GroupsOf(SandboxAccount account, string instanceId) =>
        account.World.Locked(w => w.Find(instanceId)!.Interfaces.SelectMany(i => i.Groups).ToList());

    private static IsolationScope Payments => new(PaymentsKey, SandboxWorld.PaymentsAccountId, SandboxWorld.Region);

    [Fact]
    public async Task MemberIsolation_ThatDoesNotFitTheTurn_IsFinishedByTheQueuedUnitInTheMemberAccountOnly()
    {
        var w = Multi();
        var homeGroups = GroupsOf(w.Home, HomeWeb1);
        // The payments account's isolator as a turn there has it: its fleet, home's table and queue, its scope.
        var isolator = new InstanceIsolator(w.Payments.Isolation, new IsolationOptions(), w.Home.State, w.Driver.Time, w.Home.Queue,
            scope: Payments);

        var report = await isolator.IsolateAsync([PaymentsWeb1], new IsolationRequest("speaker:abc", "port scan", w.Driver.Time.GetUtcNow()),
            new IsolationBudget(w.Driver.Time.GetUtcNow() - TimeSpan.FromSeconds(1), w.Driver.Time), CancellationToken.None);

        Assert.True(report.Continuing);
        Assert.False(IsIsolated(w.Payments, PaymentsWeb1));
        var message = Assert.Single(w.Home.Queue.Receive()!.Records!)!;
        var body = JsonNode.Parse(message.Body!)!;
        Assert.Equal(PaymentsKey, (string?)body["scope"]);
        // Looked at, then put back as it was for the consumer.
        w.Home.Queue.Delete(message.MessageId!);
        w.Home.Queue.Send(message.Body!);

        var homeCallsBefore = w.HomeCalls;
        await w.Home.Queue.DeliverToAsync(w.Driver.Host.Dispatcher, CancellationToken.None);
        var homeCalls = w.HomeCalls - homeCallsBefore;

        Assert.Equal(0, homeCalls);
        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        Assert.False(IsIsolated(w.Home, HomeWeb1));
        Assert.Equal(homeGroups, GroupsOf(w.Home, HomeWeb1));
        var record = await new IsolationLedger(w.Home.State).ReadAsync(PaymentsWeb1, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(IsolationEntry.Isolated, record!.State);
        Assert.Equal(SandboxWorld.PaymentsAccountId, record.Account);
        Assert.Equal(SandboxWorld.Region, record.Region);
        var result = Assert.Single(w.Driver.LogsOf("isolate.work.result"));
        Assert.Equal(SandboxWorld.PaymentsAccountId, (string?)result["account"]);
    }

    [Fact]
    public async Task QueuedInPaymentsIreland_TheUnitAndItsQueuedItemCarryThatScope_AndTheConsumerActsOnlyThere()
    {
        const string payEu1 = "i-0d8c7b6a5f4e30001";
        var w = Multi();
        var ireland = new IsolationScope(SandboxWorld.PaymentsAccountId + "/" + SandboxWorld.SecondRegion, SandboxWorld.PaymentsAccountId,
            SandboxWorld.SecondRegion);
        var isolator = new InstanceIsolator(w.PaymentsIreland.Isolation, new IsolationOptions(), w.Home.State, w.Driver.Time, w.Home.Queue,
            scope: ireland);
        // Nothing fits in this budget, so the whole isolation goes on the queue.
        var report = await isolator.IsolateAsync([payEu1], new IsolationRequest("speaker:abc", "port scan", w.Driver.Time.GetUtcNow()),
            new IsolationBudget(w.Driver.Time.GetUtcNow() - TimeSpan.FromSeconds(1), w.Driver.Time), CancellationToken.None);
        Assert.True(report.Continuing);

        // The table's note names where it is, under a key of its own, and only that scope lists it.
        var key = "queued#" + SandboxWorld.PaymentsAccountId + "#" + SandboxWorld.SecondRegion + "#" + payEu1;
        var item = await w.Home.State.GetAsync(key, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.NotNull(item);
        Assert.Equal(SandboxWorld.PaymentsAccountId, item!.Text("account"));
        Assert.Equal(SandboxWorld.SecondRegion, item.Text("region"));
        Assert.Null(await w.Home.State.GetAsync("queued#" + payEu1, w.Driver.Time.GetUtcNow(), CancellationToken.None));
        Assert.Equal([payEu1], (await isolator.Queued.ListAsync(CancellationToken.None)).Instances.Select(q => q.InstanceId));
        Assert.Empty((await new QueuedIsolations(w.Home.State, w.Driver.Time, Payments).ListAsync(CancellationToken.None)).Instances);
        var message = Assert.Single(w.Home.Queue.Receive()!.Records!)!;
        Assert.Equal(ireland.Key, (string?)JsonNode.Parse(message.Body!)!["scope"]);
        // Looked at, then put back as it was for the consumer.
        w.Home.Queue.Delete(message.MessageId!);
        w.Home.Queue.Send(message.Body!);

        var (homeBefore, paymentsBefore) = (w.HomeCalls, w.PaymentsCalls);
        await w.Home.Queue.DeliverToAsync(w.Driver.Host.Dispatcher, CancellationToken.None);

        Assert.True(IsIsolated(w.PaymentsIreland, payEu1));
        Assert.True(w.PaymentsIrelandCalls > 0);
        Assert.Equal((homeBefore, paymentsBefore), (w.HomeCalls, w.PaymentsCalls));
        var record = await new IsolationLedger(w.Home.State).ReadAsync(payEu1, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(SandboxWorld.PaymentsAccountId, record!.Account);
        Assert.Equal(SandboxWorld.SecondRegion, record.Region);
        // Done there, so no longer "being isolated in the background" for anyone.
        Assert.Null(await w.Home.State.GetAsync(key, w.Driver.Time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task QueuedItems_OfTheSameInstanceIdInTwoScopes_DoNotCollide()
    {
        var w = Multi();
        var ireland = new IsolationScope(SandboxWorld.PaymentsAccountId + "/" + SandboxWorld.SecondRegion, SandboxWorld.PaymentsAccountId,
            SandboxWorld.SecondRegion);
        var inIreland = new QueuedIsolations(w.Home.State, w.Driver.Time, ireland);
        var inPayments = new QueuedIsolations(w.Home.State, w.Driver.Time, Payments);

        await inIreland.AddAsync([("i-0123456789abcdef0", "ireland-1")], CancellationToken.None);
        await inPayments.AddAsync([("i-0123456789abcdef0", "virginia-1")], CancellationToken.None);
        await inPayments.DoneAsync("i-0123456789abcdef0", CancellationToken.None);

        Assert.Equal([("i-0123456789abcdef0", "ireland-1")], (await inIreland.ListAsync(CancellationToken.None)).Instances);
        Assert.Empty((await inPayments.ListAsync(CancellationToken.None)).Instances);
    }

    [Theory]
    [InlineData("999999999999/us-east-1")]
    [InlineData(SandboxWorld.PaymentsAccountId + "/ap-northeast-1")]
    [InlineData("not-a-scope")]
    public async Task Unit_NamingAScopeThatIsNotEnrolled_GoesToTheDeadLetterQueueWithoutAnyEc2Call(string scope)
    {
        var w = Multi();
        var unit = IsolateInstanceWork.For(PaymentsWeb1, new IsolationRequest("speaker:abc", "port scan", DateTimeOffset.UnixEpoch))
            with { Scope = scope };
        w.Home.Queue.Send(WorkEnvelope.BodyOf(unit));

        // The last receive finds it delivered too often and moves it to the dead-letter queue.
        for (var i = 0; i <= w.Home.Queue.MaxReceiveCount; i++)
        {
            await w.Home.Queue.DeliverToAsync(w.Driver.Host.Dispatcher, CancellationToken.None);
            ((FakeTimeProvider)w.Driver.Time).Advance(w.Home.Queue.VisibilityTimeout + TimeSpan.FromSeconds(1));
        }

        Assert.Single(w.Home.Queue.DeadLetters);
        Assert.Equal(0, w.HomeCalls);
        Assert.Equal(0, w.PaymentsCalls);
        Assert.Contains(w.Driver.LogsOf("work.rejected"), l => (string?)l["why"] == "scope not enrolled");
    }

    [Fact]
    public async Task Unit_NamingAScope_WhenOnlyOneAccountIsConfigured_IsPoisonAndMakesNoEc2Call()
    {
        var net = SecurityAlexa.Tests.Isolation.Ec2Network.Standard();
        var driver = new SkillDriver(SecurityAlexa.Tests.Isolation.IsolationServices.Over(net));
        var unit = IsolateInstanceWork.For(HomeWeb1, new IsolationRequest("speaker:abc", "port scan", DateTimeOffset.UnixEpoch))
            with { Scope = SandboxWorld.PaymentsAccountId + "/us-east-1" };

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(WorkEnvelope.BodyOf(unit), "m-9")));

        Assert.Equal(["m-9"], failures);
        Assert.Empty(net.Calls);
        Assert.Contains(driver.LogsOf("work.rejected"), l => (string?)l["why"] == "scope not enrolled");
    }

    [Fact]
    public async Task Unit_NamingTheHomeScope_RunsAtHome()
    {
        var w = Multi();
        w.Home.Queue.Send(WorkEnvelope.BodyOf(IsolateInstanceWork.For(HomeWeb1,
            new IsolationRequest("speaker:abc", "port scan", DateTimeOffset.UnixEpoch)) with { Scope = SandboxWorld.AccountId + "/us-east-1" }));

        await w.Home.Queue.DeliverToAsync(w.Driver.Host.Dispatcher, CancellationToken.None);
        var paymentsCalls = w.PaymentsCalls;

        Assert.Equal(0, paymentsCalls);
        Assert.True(IsIsolated(w.Home, HomeWeb1));
        var record = await new IsolationLedger(w.Home.State).ReadAsync(HomeWeb1, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(SandboxWorld.AccountId, record!.Account);
    }

    [Fact]
    public async Task Unit_WithoutAScope_StillRunsAtHome()
    {
        var w = Multi();
        w.Home.Queue.Send(WorkEnvelope.BodyOf(IsolateInstanceWork.For(HomeWeb1,
            new IsolationRequest("speaker:abc", "port scan", DateTimeOffset.UnixEpoch))));

        await w.Home.Queue.DeliverToAsync(w.Driver.Host.Dispatcher, CancellationToken.None);
        var paymentsCalls = w.PaymentsCalls;

        Assert.Equal(0, paymentsCalls);
        Assert.True(IsIsolated(w.Home, HomeWeb1));
        Assert.False(IsIsolated(w.Payments, PaymentsWeb1));
    }

    [Fact]
    public async Task Sweeper_FinishesAMemberRecordStuckInIsolatingInTheMemberAccount_AndReportsAnUnreachableOne()
    {
        var w = Multi();
        var homeGroups = GroupsOf(w.Home, HomeWeb1);
        var old = w.Driver.Time.GetUtcNow() - TimeSpan.FromMinutes(10);
        // An isolation whose writer died right after its first write, in payments; and one in the legacy account.
        var stuck = new IsolationEntry(PaymentsWeb1, IsolationEntry.Isolating, 0, [], false, "speaker:abc", old, "port scan", [], old);
        Assert.NotNull(await new IsolationLedger(w.Home.State, Payments).BeginAsync(stuck, old, CancellationToken.None));
        const string legacyInstance = "i-0c0c0c0c0c0c00001";
        Assert.NotNull(await new IsolationLedger(w.Home.State,
                new IsolationScope(SandboxWorld.LegacyAccountId + "/us-east-1", SandboxWorld.LegacyAccountId, SandboxWorld.Region))
            .BeginAsync(stuck with { InstanceId = legacyInstance }, old, CancellationToken.None));

        var answer = await w.Driver.SendRawAsync(SqsEvents.Scheduled());

        Assert.Contains("swept-partly", answer, StringComparison.Ordinal);
        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        Assert.False(IsIsolated(w.Home, HomeWeb1));
        Assert.Equal(homeGroups, GroupsOf(w.Home, HomeWeb1));
        var record = await new IsolationLedger(w.Home.State).ReadAsync(PaymentsWeb1, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(IsolationEntry.Isolated, record!.State);
        Assert.Contains(w.Home.Chat.Posts, p => p.Contains("could not reach account " + SandboxWorld.LegacyAccountId, StringComparison.Ordinal)
            && p.Contains(legacyInstance, StringComparison.Ordinal));
        Assert.Contains(w.Driver.LogsOf("sweeper.finished"), l => (string?)l["instance"] == PaymentsWeb1
            && (string?)l["account"] == SandboxWorld.PaymentsAccountId);
    }

    [Fact]
    public async Task TagEvent_FromTheEnrolledPaymentsAccount_IsolatesPaymentsInstanceAndNothingAtHome()
    {
        var w = Multi();
        w.Payments.World.Locked(x => x.Find(PaymentsWeb1)!.Tags["SecurityAlexa:Isolate"] = "true");
        w.Home.World.Locked(x => x.Find(HomeWeb1)!.Tags["SecurityAlexa:Isolate"] = "true");

        var failures = SqsEvents.Failures(await w.Driver.SendRawAsync(SqsEvents.One(TagEvent(SandboxWorld.PaymentsAccountId, PaymentsWeb1))));

        Assert.Empty(failures);
        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        Assert.False(IsIsolated(w.Home, HomeWeb1));
        var record = await new IsolationLedger(w.Home.State).ReadAsync(PaymentsWeb1, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(SandboxWorld.PaymentsAccountId, record!.Account);
        Assert.Equal(SandboxWorld.Region, record.Region);
        Assert.Contains(w.Driver.LogsOf("isolate.event.result"), l => (string?)l["account"] == SandboxWorld.PaymentsAccountId);
    }

    [Fact]
    public async Task TagEvent_ThatIsolates_WritesOneAuditLine_NamingThePrincipalTheInstanceAndTheScope_AndItsRedeliveryNone()
    {
        var w = Multi();
        w.Payments.World.Locked(x => x.Find(PaymentsWeb1)!.Tags["SecurityAlexa:Isolate"] = "true");
        var evt = TagEvent(SandboxWorld.PaymentsAccountId, PaymentsWeb1);

        await w.Driver.SendRawAsync(SqsEvents.One(evt));
        await w.Driver.SendRawAsync(SqsEvents.One(evt, "m-2"));

        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        var audit = Assert.Single(w.Driver.LogsOf("audit"));
        Assert.Equal("AUDIT", (string?)audit["level"]);
        Assert.Equal("isolate-by-tag", (string?)audit["action"]);
        Assert.Equal("isolated", (string?)audit["outcome"]);
        Assert.Null((string?)audit["refusedBy"]);
        Assert.Equal($"arn:aws:sts::{SandboxWorld.PaymentsAccountId}:assumed-role/SecOps/alice", (string?)audit["principalArn"]);
        Assert.Equal("5b3c2f0e-0000-4000-8000-0000000000a1", (string?)audit["eventId"]);
        Assert.Equal(SandboxWorld.PaymentsAccountId, (string?)audit["account"]);
        Assert.Equal(SandboxWorld.Region, (string?)audit["region"]);
        Assert.Equal([PaymentsWeb1], audit["targets"]!.AsArray().Select(t => (string?)t));
        Assert.Contains(PaymentsWeb1 + "=Isolated", (string?)audit["detail"], StringComparison.Ordinal);
        // Routed from the home account's consumer, its post still says where it acted.
        const string label = "[payments " + SandboxWorld.PaymentsAccountId + ", us-east-1] ";
        Assert.Contains(w.Home.Chat.Posts,
            p => p.StartsWith(label, StringComparison.Ordinal) && p.Contains(PaymentsWeb1, StringComparison.Ordinal));
        Assert.DoesNotContain(w.Home.Chat.Posts, p => p.StartsWith("[home", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TagEvent_FromTheHomeAccountsOtherRegion_ForwardedToTheFunctionsRegion_IsolatesThereWithTheFunctionsOwnScope()
    {
        // What member-role.yaml with ForwardOnly=true delivers: the home account's CreateTags in Ireland, on the function's bus.
        const string euWeb1 = "i-0b7a6f5e4d3c20001";
        var w = Multi();
        w.HomeIreland.World.Locked(x => x.Find(euWeb1)!.Tags["SecurityAlexa:Isolate"] = "true");
        var before = (w.HomeCalls, w.PaymentsCalls);

        var failures = SqsEvents.Failures(await w.Driver.SendRawAsync(SqsEvents.One(TagEvent(SandboxWorld.AccountId, euWeb1,
            SandboxWorld.SecondRegion))));

        Assert.Empty(failures);
        Assert.True(IsIsolated(w.HomeIreland, euWeb1));
        Assert.Equal(before, (w.HomeCalls, w.PaymentsCalls));
        var record = await new IsolationLedger(w.Home.State).ReadAsync(euWeb1, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(SandboxWorld.AccountId, record!.Account);
        Assert.Equal(SandboxWorld.SecondRegion, record.Region);
        var audit = Assert.Single(w.Driver.LogsOf("audit"));
        Assert.Equal(SandboxWorld.SecondRegion, (string?)audit["region"]);
        const string label = "[home " + SandboxWorld.AccountId + ", eu-west-1] ";
        Assert.Contains(w.Home.Chat.Posts, p => p.StartsWith(label, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TagEvent_FromAStranger_StaysRefusedAndChangesNothing()
    {
        var w = Multi();
        w.Payments.World.Locked(x => x.Find(PaymentsWeb1)!.Tags["SecurityAlexa:Isolate"] = "true");
        var before = (w.HomeCalls, w.PaymentsCalls);

        var failures = SqsEvents.Failures(await w.Driver.SendRawAsync(SqsEvents.One(TagEvent("999999999999", PaymentsWeb1))));
        var after = (w.HomeCalls, w.PaymentsCalls);

        Assert.Single(failures);
        Assert.Equal(before, after);
        Assert.False(IsIsolated(w.Payments, PaymentsWeb1));
        Assert.Contains(w.Driver.LogsOf("audit"), l => (string?)l["reason"] == TagEventPolicy.WrongAccount);
    }

    [Fact]
    public async Task Turn_InThePaymentsAccount_WritesAccountAndRegionOnTheRecordAndTheAuditLine()
    {
        var w = Multi();
        AlexaRequests Isolate() => AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web-1"), ("Account", "payments"));
        await w.Driver.SayAsync(Isolate());

        await w.Driver.SayAsync(Isolate().Confirmation("CONFIRMED"));

        Assert.True(IsIsolated(w.Payments, PaymentsWeb1));
        var record = await new IsolationLedger(w.Home.State).ReadAsync(PaymentsWeb1, w.Driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(SandboxWorld.PaymentsAccountId, record!.Account);
        Assert.Equal(SandboxWorld.Region, record.Region);
        var audit = w.Driver.LogsOf("audit").Last(l => (string?)l["action"] == "isolate");
        Assert.Equal(SandboxWorld.PaymentsAccountId, (string?)audit["account"]);
        Assert.Equal(SandboxWorld.Region, (string?)audit["region"]);
    }

    private static string TagEvent(string account, string instanceId, string region = SandboxWorld.Region) => new JsonObject
    {
        ["version"] = "0",
        ["id"] = "7d2a0c1e-0000-4000-8000-0000000000a1",
        ["detail-type"] = "AWS API Call via CloudTrail",
        ["source"] = "aws.ec2",
        ["account"] = account,
        ["time"] = "2026-12-07T01:00:00Z",
        ["region"] = region,
        ["resources"] = new JsonArray(),
        ["detail"] = new JsonObject
        {
            ["eventVersion"] = "1.09",
            ["userIdentity"] = new JsonObject { ["type"] = "AssumedRole", ["arn"] = $"arn:aws:sts::{account}:assumed-role/SecOps/alice" },
            ["eventTime"] = "2026-12-07T01:00:00Z",
            ["eventSource"] = "ec2.amazonaws.com",
            ["eventName"] = "CreateTags",
            ["awsRegion"] = region,
            ["recipientAccountId"] = account,
            ["requestParameters"] = new JsonObject
            {
                ["resourcesSet"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["resourceId"] = instanceId }) },
                ["tagSet"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["key"] = "SecurityAlexa:Isolate", ["value"] = "true" }) },
            },
            ["eventID"] = "5b3c2f0e-0000-4000-8000-0000000000a1",
            ["eventType"] = "AwsApiCall",
        },
    }.ToJsonString();
}
