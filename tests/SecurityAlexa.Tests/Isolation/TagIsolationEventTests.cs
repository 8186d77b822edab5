using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

using SecurityAlexa.Tests.State;

namespace SecurityAlexa.Tests.Isolation;

public sealed class TagIsolationEventTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private const string Web2 = "i-0a1b2c3d4e5f60002";

    /// <summary>The EventBridge event for a CloudTrail CreateTags call, as EventBridge delivers it.</summary>
    private static string CreateTagsEvent(string[] resources, string key = "SecurityAlexa:Isolate", string value = "true", string? errorCode = null, string source = "aws.ec2",
        string account = "111122223333")
    {
        var detail = new JsonObject
        {
            ["eventVersion"] = "1.09",
            ["userIdentity"] = new JsonObject { ["type"] = "AssumedRole", ["arn"] = "arn:aws:sts::111122223333:assumed-role/SecOps/alice" },
            ["eventTime"] = "2026-11-29T12:00:00Z",
            ["eventSource"] = "ec2.amazonaws.com",
            ["eventName"] = "CreateTags",
            ["awsRegion"] = "us-east-1",
            ["requestParameters"] = new JsonObject
            {
                ["resourcesSet"] = new JsonObject { ["items"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject { ["resourceId"] = r }).ToArray()) },
                ["tagSet"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["key"] = key, ["value"] = value }) },
            },
            ["eventID"] = "5b3c2f0e-0000-4000-8000-000000000001",
            ["eventType"] = "AwsApiCall",
        };
        if (errorCode is not null) detail["errorCode"] = errorCode;
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = "7d2a0c1e-0000-4000-8000-000000000001",
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = source,
            ["account"] = account,
            ["time"] = "2026-11-29T12:00:00Z",
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(),
            ["detail"] = detail,
        }.ToJsonString();
    }

    private const string EventId = "5b3c2f0e-0000-4000-8000-000000000001";

    // The SecOps role may isolate by tag, in the function's account and region (issue 13 §1); TagEventPolicyTests refuses the rest.
    internal static readonly Dictionary<string, string> SecOpsMayTag = new()
    {
        ["ISOLATE_TAG_PRINCIPALS"] = "arn:aws:sts::111122223333:assumed-role/SecOps/*",
        ["FUNCTION_ACCOUNT_ID"] = "111122223333",
        ["AWS_REGION"] = "us-east-1",
    };

    private static (Ec2Network Net, RecordingChat Chat, SkillDriver Driver) Setup()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var chat = new RecordingChat();
        return (net, chat, new SkillDriver(IsolationServices.Over(net, chat), environment: SecOpsMayTag));
    }

    // The rule puts the event on the work queue; the function gets it inside an SQS batch.
    private static async Task<List<string>> DeliverAsync(SkillDriver driver, string evt, string id = "m-1") =>
        SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(evt, id)));

    [Fact]
    public async Task CreateTagsEvent_WithTheIsolateTag_IsolatesWithoutAskingAndNotifiesTheChat()
    {
        var (net, chat, driver) = Setup();

        var failures = await DeliverAsync(driver, CreateTagsEvent([Db1]));

        Assert.Empty(failures);
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        Assert.Equal([isolation], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Equal("sg-0db000000000000a2", net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags[IsolationRecord.OriginalGroups]);
        Assert.StartsWith("tag-event:", net.Instances[Db1].Tags[IsolationRecord.IsolatedBy]);
        Assert.DoesNotContain("alice", net.Instances[Db1].Tags[IsolationRecord.IsolatedBy]);
        Assert.Contains("by the tag SecurityAlexa:Isolate=true", Assert.Single(chat.Posts));
        Assert.Contains(driver.Log.Lines, l => l.Contains("isolate.event.result", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WithTheIsolateTag_OpensTheIncidentsOpsItemWithTheInstanceAndTheOriginalGroups()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var chat = new RecordingChat();
        var services = IsolationServices.Over(net, chat);
        var opsCenter = new SecurityAlexa.Sandbox.SandboxOpsCenter();
        var driver = new SkillDriver(new SkillServices
        {
            Instances = services.Instances, Targets = services.Targets, Isolation = services.Isolation, Chat = chat,
            WorkQueueUrl = services.WorkQueueUrl, Tickets = opsCenter,
        }, environment: SecOpsMayTag);

        Assert.Empty(await DeliverAsync(driver, CreateTagsEvent([Db1])));

        // Isolation by tag is an incident like one by voice: one OpsItem for the instance, its id in the chat post.
        var item = Assert.Single(opsCenter.Items);
        Assert.Equal(SecurityAlexa.Tickets.TicketDraft.Keys.Incident([Db1]), item.DedupKey);
        var draft = Assert.Single(item.Updates);
        Assert.Equal([Db1], draft.InstanceIds);
        Assert.Contains(draft.Data, d => d.Value.Contains("sg-0db000000000000a2", StringComparison.Ordinal));
        Assert.Contains(chat.Posts, p => p.Contains(item.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenRedeliveredWithoutAStateTable_ChangesNothingAndPostsNothingTheSecondTime()
    {
        var (net, chat, driver) = Setup();
        await DeliverAsync(driver, CreateTagsEvent([Db1]));
        var calls = net.MutatingCalls.Count;
        var recorded = new Dictionary<string, string>(net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags);

        var again = await DeliverAsync(driver, CreateTagsEvent([Db1]));

        Assert.Empty(again);
        Assert.Equal(calls, net.MutatingCalls.Count);
        Assert.Equal(recorded, net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags);
        Assert.Single(chat.Posts);
    }

    [Fact]
    public async Task CreateTagsEvent_ForAnInstanceThatDoesNotCarryTheTagNow_LeavesItAloneAndIsDone()
    {
        var (net, chat, driver) = Setup();

        var failures = await DeliverAsync(driver, CreateTagsEvent([Web2]));

        Assert.Empty(failures);
        Assert.Empty(net.MutatingCalls);
        Assert.Empty(chat.Posts);
    }

    [Theory]
    [InlineData("Environment", "prod", null)]
    [InlineData("SecurityAlexa:Isolate", "false", null)]
    [InlineData("SecurityAlexa:Isolate", "true", "Client.UnauthorizedOperation")]
    public async Task Event_ThatIsNotASuccessfulIsolateTagging_IsDoneWithoutAnyCall(string key, string value, string? errorCode)
    {
        var (net, chat, driver) = Setup();

        var failures = await DeliverAsync(driver, CreateTagsEvent([Db1], key, value, errorCode));

        Assert.Empty(failures);
        Assert.Empty(net.Calls);
        Assert.Empty(chat.Posts);
        Assert.Contains(driver.Log.Lines, l => l.Contains("isolate.event.ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Event_FromAnotherSource_IsAnUnknownKindReportedAsAFailureWithoutAnyCall()
    {
        var (net, chat, driver) = Setup();

        var failures = await DeliverAsync(driver, CreateTagsEvent([Db1], source: "custom.app"));

        Assert.Equal(["m-1"], failures);
        Assert.Empty(net.Calls);
        Assert.Empty(chat.Posts);
        Assert.Contains(driver.LogsOf("work.rejected"), r => (string?)r["why"] == "unknown kind");
    }

    [Fact]
    public async Task Event_FromAnotherAccount_IsRejectedAndReportedWithoutAnyCall()
    {
        var (net, chat, driver) = Setup();

        var failures = await DeliverAsync(driver, CreateTagsEvent([Db1], account: "999988887777"));

        // Poison, so it ends in the DLQ; the refusal is posted and audited like every other (issue 13 §1).
        Assert.Equal(["m-1"], failures);
        Assert.Empty(net.Calls);
        Assert.Single(chat.Posts);
    }

    [Fact]
    public async Task Event_WithAForgedInstanceId_IsPoisonAndTouchesNothing()
    {
        var (net, chat, driver) = Setup();

        var failures = await DeliverAsync(driver, CreateTagsEvent([Db1, "i-0a1b2c3d4e5f64f2a;rm"]));

        Assert.Equal(["m-1"], failures);
        Assert.Empty(net.Calls);
        Assert.Empty(chat.Posts);
        Assert.Contains(driver.LogsOf("isolate.event.rejected"), r => (string?)r["why"] == "invalid instance id");
    }

    [Fact]
    public async Task CreateTagsEvent_WithTheTemplatesKeyAndValueSettings_UsesThem()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["Quarantine"] = "now";
        var driver = new SkillDriver(IsolationServices.Over(net), environment: new Dictionary<string, string>(SecOpsMayTag) { ["ISOLATE_TAG_KEY"] = "Quarantine", ["ISOLATE_TAG_VALUE"] = "now" });

        var failures = await DeliverAsync(driver, CreateTagsEvent([Db1], "Quarantine", "now"));

        Assert.Empty(failures);
        Assert.Contains(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
    }

    [Fact]
    public async Task CreateTagsEvent_ThenVoiceRelease_RemovesTheIsolateTagSoTheRecordIsClean()
    {
        var (net, _, driver) = Setup();
        await DeliverAsync(driver, CreateTagsEvent([Db1]));

        await driver.SayAsync(AlexaRequests.Intent("ReleaseIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null)));
        var released = await driver.SayAsync(AlexaRequests.Intent("ReleaseIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null)).Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. db-1 is released", released.Speech);
        Assert.DoesNotContain("SecurityAlexa:Isolate", net.Instances[Db1].Tags.Keys);
        Assert.Equal(["sg-0db000000000000a2"], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Contains(net.MutatingCalls, c => c.Request is DeleteTagsRequest d && d.Tags.Any(t => t.Key == "SecurityAlexa:Isolate" && t.Value == "true"));
    }

    // With the state table (as in Lambda): a finished event is recorded by its id, in every container.
    private static (Ec2Network Net, RecordingChat Chat, FakeDynamoDb State, Func<SkillDriver> Container) SetupWithState()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var chat = new RecordingChat();
        var state = new FakeDynamoDb();
        var services = IsolationServices.Over(net, chat);
        return (net, chat, state, () => new SkillDriver(new SkillServices
        {
            Instances = services.Instances,
            Targets = services.Targets,
            Isolation = services.Isolation,
            Chat = chat,
            State = new DynamoStateTable(() => state.Client, state.TableName),
            WorkQueueUrl = SqsEvents.QueueUrl,
        }, environment: SecOpsMayTag));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenAFinishedEventIsRedelivered_TheSecondMakesNoEc2CallAndPostsNothing()
    {
        var (net, chat, state, container) = SetupWithState();
        var evt = CreateTagsEvent([Db1]);
        var first = await DeliverAsync(container(), evt);
        var ec2Calls = net.Calls.Count;
        var other = container();

        var second = await DeliverAsync(other, evt, "m-2");

        Assert.Empty(first);
        Assert.Empty(second);
        // Not even a read: the completion record, not the "already isolated" rule, stopped it.
        Assert.Equal(ec2Calls, net.Calls.Count);
        Assert.Single(chat.Posts);
        Assert.Equal(["tagevent#" + EventId], state.Keys.Where(k => k.StartsWith("tagevent#", StringComparison.Ordinal)));
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("claim#", StringComparison.Ordinal));
        Assert.Equal("tag-event", state.Item("tagevent#" + EventId)!["kind"]);
        Assert.Contains(other.Log.Lines, l => l.Contains("isolate.event.duplicate", StringComparison.Ordinal) && l.Contains(EventId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenTheFirstDeliveryFails_ReportsItWritesNoRecordAndTheRedeliveryIsolates()
    {
        var (net, chat, state, container) = SetupWithState();
        var driver = container();
        var evt = CreateTagsEvent([Db1]);
        net.Fail("DescribeInstances", "RequestLimitExceeded", times: 1);

        var failed = await DeliverAsync(driver, evt);
        var recordAfterFailure = state.Keys.Any(k => k.StartsWith("tagevent#", StringComparison.Ordinal));
        var again = await DeliverAsync(driver, evt);

        Assert.Equal(["m-1"], failed);
        Assert.False(recordAfterFailure);
        Assert.Empty(again);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Single(chat.Posts);
        Assert.Single(state.Keys, k => k.StartsWith("tagevent#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenTheStateTableCannotBeRead_IsolatesAnyway()
    {
        var (net, chat, state, container) = SetupWithState();
        var driver = container();
        state.FailNext("GetItem", FakeDynamoDb.ServiceError("ThrottlingException", System.Net.HttpStatusCode.BadRequest), "tagevent#");

        var failures = await DeliverAsync(driver, CreateTagsEvent([Db1]));

        Assert.Empty(failures);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Single(chat.Posts);
        Assert.Contains(driver.Log.Lines, l => l.Contains("isolate.event.state-unavailable", StringComparison.Ordinal));
    }
}
