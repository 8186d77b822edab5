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
    private static string CreateTagsEvent(string[] resources, string key = "SecurityAlexa:Isolate", string value = "true", string? errorCode = null, string source = "aws.ec2")
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
            ["account"] = "111122223333",
            ["time"] = "2026-11-29T12:00:00Z",
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(),
            ["detail"] = detail,
        }.ToJsonString();
    }

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

    [Fact]
    public async Task CreateTagsEvent_WithTheIsolateTag_IsolatesWithoutAskingAndNotifiesTheChat()
    {
        var (net, chat, driver) = Setup();

        var result = JsonNode.Parse(await driver.SendRawAsync(CreateTagsEvent([Db1])))!;

        Assert.Equal("isolated", (string?)result["status"]);
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        Assert.Equal([isolation], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Equal("sg-0db000000000000a2", net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags[IsolationRecord.OriginalGroups]);
        Assert.StartsWith("tag-event:", net.Instances[Db1].Tags[IsolationRecord.IsolatedBy]);
        Assert.DoesNotContain("alice", net.Instances[Db1].Tags[IsolationRecord.IsolatedBy]);
        Assert.Contains("by the tag SecurityAlexa:Isolate=true", Assert.Single(chat.Posts));
        Assert.Contains(driver.Log.Lines, l => l.Contains("isolate.event.result", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenRedelivered_ChangesNothingAndPostsNothingTheSecondTime()
    {
        var (net, chat, driver) = Setup();
        var evt = CreateTagsEvent([Db1]);
        await driver.SendRawAsync(evt);
        var recorded = net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags.ToDictionary();
        var calls = net.MutatingCalls.Count;

        var again = JsonNode.Parse(await driver.SendRawAsync(evt))!;

        Assert.Equal("unchanged", (string?)again["status"]);
        Assert.Equal(calls, net.MutatingCalls.Count);
        Assert.Equal(recorded, net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags);
        Assert.Single(chat.Posts);
    }

    [Fact]
    public async Task CreateTagsEvent_ForAnInstanceThatDoesNotCarryTheTagNow_LeavesItAlone()
    {
        var (net, chat, driver) = Setup();

        var result = JsonNode.Parse(await driver.SendRawAsync(CreateTagsEvent([Web2])))!;

        Assert.Equal("unchanged", (string?)result["status"]);
        Assert.Empty(net.MutatingCalls);
        Assert.Empty(chat.Posts);
    }

    [Theory]
    [InlineData("Environment", "prod", null, "aws.ec2")]
    [InlineData("SecurityAlexa:Isolate", "false", null, "aws.ec2")]
    [InlineData("SecurityAlexa:Isolate", "true", "Client.UnauthorizedOperation", "aws.ec2")]
    [InlineData("SecurityAlexa:Isolate", "true", null, "custom.app")]
    public async Task Event_ThatIsNotASuccessfulIsolateTagging_IsRejectedAndLoggedWithoutAnyCall(string key, string value, string? errorCode, string source)
    {
        var (net, chat, driver) = Setup();

        var result = JsonNode.Parse(await driver.SendRawAsync(CreateTagsEvent([Db1], key, value, errorCode, source)))!;

        Assert.Equal("rejected", (string?)result["status"]);
        Assert.Empty(net.Calls);
        Assert.Empty(chat.Posts);
        Assert.Contains(driver.Log.Lines, l => l.Contains("event.rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WithTheTemplatesKeyAndValueSettings_UsesThem()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["Quarantine"] = "now";
        var driver = new SkillDriver(IsolationServices.Over(net), environment: new Dictionary<string, string>(SecOpsMayTag) { ["ISOLATE_TAG_KEY"] = "Quarantine", ["ISOLATE_TAG_VALUE"] = "now" });

        var result = JsonNode.Parse(await driver.SendRawAsync(CreateTagsEvent([Db1], "Quarantine", "now")))!;

        Assert.Equal("isolated", (string?)result["status"]);
        Assert.Contains(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
    }

    [Fact]
    public async Task CreateTagsEvent_ThenVoiceRelease_RemovesTheIsolateTagSoTheRecordIsClean()
    {
        var (net, _, driver) = Setup();
        await driver.SendRawAsync(CreateTagsEvent([Db1]));

        await driver.SayAsync(AlexaRequests.Intent("ReleaseIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null)));
        var released = await driver.SayAsync(AlexaRequests.Intent("ReleaseIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null)).Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. db-1 is released", released.Speech);
        Assert.DoesNotContain("SecurityAlexa:Isolate", net.Instances[Db1].Tags.Keys);
        Assert.Equal(["sg-0db000000000000a2"], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Contains(net.MutatingCalls, c => c.Request is DeleteTagsRequest d && d.Tags.Any(t => t.Key == "SecurityAlexa:Isolate" && t.Value == "true"));
    }

    // With the state table (as in Lambda): the event id is claimed once, in every container.
    private static (Ec2Network Net, RecordingChat Chat, FakeDynamoDb State, Func<SkillDriver> Container) SetupWithLedger()
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
        }, environment: SecOpsMayTag));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenTheSameEventIdArrivesTwice_TheSecondMakesNoAwsCallAndPostsNothing()
    {
        var (net, chat, state, container) = SetupWithLedger();
        var driver = container();
        var evt = CreateTagsEvent([Db1]);
        var first = JsonNode.Parse(await driver.SendRawAsync(evt))!;
        var ec2Calls = net.Calls.Count;

        var second = JsonNode.Parse(await driver.SendRawAsync(evt))!;

        Assert.Equal("isolated", (string?)first["status"]);
        Assert.Equal("duplicate", (string?)second["status"]);
        // Not even a read: the claim, not the "already isolated" rule, stopped it.
        Assert.Equal(ec2Calls, net.Calls.Count);
        Assert.Single(chat.Posts);
        Assert.Single(state.Keys, k => k.StartsWith("claim#events#", StringComparison.Ordinal));
        Assert.Contains(driver.Log.Lines, l => l.Contains("isolate.event.duplicate", StringComparison.Ordinal) && l.Contains("5b3c2f0e-0000-4000-8000-000000000001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenTwoContainersGetTheSameEventAtOnce_OnlyOneActs()
    {
        var (net, chat, _, container) = SetupWithLedger();
        var (a, b) = (container(), container());
        var evt = CreateTagsEvent([Db1]);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        net.OnCall = async (_, _) =>
        {
            // A's two reads (instances and interfaces, in parallel) wait; any later call goes through.
            var n = Interlocked.Increment(ref arrived);
            if (n > 2) return;
            if (n == 2) inside.TrySetResult();
            await hold.Task;
        };

        // Container A has claimed the event and is reading the instance when B gets the redelivery.
        var firstTask = a.SendRawAsync(evt);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var callsBefore = net.Calls.Count;
        var second = JsonNode.Parse(await b.SendRawAsync(evt))!;
        var callsByB = net.Calls.Count - callsBefore;
        hold.SetResult();
        var first = JsonNode.Parse(await firstTask.WaitAsync(TimeSpan.FromSeconds(30)))!;

        Assert.Equal("duplicate", (string?)second["status"]);
        Assert.Equal(0, callsByB);
        Assert.Equal("isolated", (string?)first["status"]);
        Assert.Single(chat.Posts);
        Assert.Equal(2, net.MutatingCalls.Count(c => c.Operation == "ModifyNetworkInterfaceAttribute"));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenTheFirstDeliveryFails_GivesTheClaimBackSoARedeliveryIsolates()
    {
        var (net, chat, state, container) = SetupWithLedger();
        var driver = container();
        var evt = CreateTagsEvent([Db1]);
        net.Fail("DescribeInstances", "RequestLimitExceeded", times: 1);

        var failed = JsonNode.Parse(await driver.SendRawAsync(evt))!;
        var again = JsonNode.Parse(await driver.SendRawAsync(evt))!;

        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Equal("isolated", (string?)again["status"]);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Single(chat.Posts);
        Assert.Single(state.Keys, k => k.StartsWith("claim#events#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTagsEvent_WhenTheStateTableCannotClaimTheEvent_IsolatesAnyway()
    {
        var (net, chat, state, container) = SetupWithLedger();
        var driver = container();
        state.FailNext("PutItem", FakeDynamoDb.ServiceError("ThrottlingException", System.Net.HttpStatusCode.BadRequest), "claim#events#");

        var result = JsonNode.Parse(await driver.SendRawAsync(CreateTagsEvent([Db1])))!;

        Assert.Equal("isolated", (string?)result["status"]);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Single(chat.Posts);
        Assert.Contains(driver.Log.Lines, l => l.Contains("isolate.event.ledger-unavailable", StringComparison.Ordinal));
    }
}
