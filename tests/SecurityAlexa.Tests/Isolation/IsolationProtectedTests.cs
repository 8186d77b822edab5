using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Blocking;
using SecurityAlexa.Isolation;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Aws;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>
/// Issue 13 §2: an instance tagged SecurityAlexa:Protected is never changed. Isolation refuses it in code on every path
/// (voice, a GuardDuty finding, the tag event, a queued unit), and a block whose ACL entry would reach it is refused. Each
/// answer says why, and nothing is called that changes anything.
/// </summary>
public sealed class IsolationProtectedTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private const string Web1 = "i-0a1b2c3d4e5f60001";

    private static AlexaRequests Isolate(string? name) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", name), ("TagKey", null), ("TagValue", null), ("Reason", null));

    private static AlexaRequests IsolateTag(string key, string value) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", key), ("TagValue", value), ("Reason", null));

    private static Ec2Network ProtectedDb1()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags[SkillTags.Protected] = "yes";
        return net;
    }

    [Fact]
    public async Task IsolateByVoice_WhenTheInstanceIsProtected_RefusesAndAsksForNoYes()
    {
        var net = ProtectedDb1();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Isolate("db one"));
        var yes = await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));

        Assert.StartsWith("I won't isolate db-1: it's tagged SecurityAlexa Protected, so I never change it.", reply.Speech);
        Assert.DoesNotContain("Dialog.ConfirmIntent", reply.DirectiveTypes);
        Assert.DoesNotContain("Done", yes.Speech, StringComparison.Ordinal);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateATagGroup_WithOneProtectedInstance_ReadsBackTheRestAndSaysWhichIsLeftOut()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        var prod = net.Instances.Values.Where(i => i.Tags.GetValueOrDefault("Environment") == "prod").ToList();
        Assert.True(prod.Count >= 2);
        var shielded = prod[0];
        shielded.Tags[SkillTags.Protected] = "yes";
        var name = shielded.Tags["Name"];

        var readBack = await driver.SayAsync(IsolateTag("environment", "prod"));
        var done = await driver.SayAsync(IsolateTag("environment", "prod").Confirmation("CONFIRMED"));

        Assert.StartsWith($"I won't isolate {name}: it's tagged SecurityAlexa Protected, so I never change it. Isolating {prod.Count - 1} ",
            readBack.Speech);
        Assert.Contains("Dialog.ConfirmIntent", readBack.DirectiveTypes);
        Assert.Contains("isolated", done.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is Amazon.EC2.Model.CreateTagsRequest t && t.Resources.Contains(shielded.Id));
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is Amazon.EC2.Model.ModifyNetworkInterfaceAttributeRequest m
            && shielded.InterfaceIds.Contains(m.NetworkInterfaceId));
        Assert.DoesNotContain(SkillTags.IsolatedAt, shielded.Tags.Keys);
    }

    [Fact]
    public async Task Isolator_WhenTheInstanceIsProtectedAndHasNoRecord_ChangesNothingAndSaysProtected()
    {
        var net = ProtectedDb1();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var isolator = new InstanceIsolator(new Ec2IsolationAccount(net.Client), new IsolationOptions(),
            new SecurityAlexa.State.InMemoryStateTable(), time);

        var report = await isolator.IsolateAsync([Db1], new IsolationRequest("speaker:abc", "test", time.GetUtcNow()),
            new IsolationBudget(time.GetUtcNow().AddSeconds(30), time), CancellationToken.None);

        Assert.Equal("Protected", Assert.Single(report.Instances).Outcome.ToString());
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task TagEvent_ForAProtectedInstance_ChangesNothingPostsTheRefusalAndIsDone()
    {
        var net = ProtectedDb1();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var chat = new RecordingChat();
        var driver = new SkillDriver(IsolationServices.Over(net, chat), environment: TagIsolationEventTests.SecOpsMayTag);

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(TagEvent(Db1), "m-1")));

        Assert.Empty(failures);
        Assert.Empty(net.MutatingCalls);
        var post = Assert.Single(chat.Posts);
        Assert.Contains("Refused to isolate db-1 (" + Db1 + ")", post);
        Assert.Contains("SecurityAlexa:Protected", post);
    }

    [Fact]
    public async Task QueuedUnit_ForAProtectedInstance_ChangesNothingAndIsDone()
    {
        var net = ProtectedDb1();
        var chat = new RecordingChat();
        var driver = new SkillDriver(IsolationServices.Over(net, chat));
        var unit = WorkEnvelope.BodyOf(IsolateInstanceWork.For(Db1, new IsolationRequest("speaker:abc123", "port scan", DateTimeOffset.UnixEpoch)));

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(unit, "m-1")));

        Assert.Empty(failures);
        Assert.Empty(net.MutatingCalls);
        Assert.Contains(chat.Posts, p => p.Contains("Refused to isolate db-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IsolateFromAGuardDutyFinding_WhenTheInstanceIsProtected_RefusesAndChangesNothing()
    {
        using var guardDuty = FakeAws.Server();
        void Answer(string path, string body, bool get = false)
        {
            var request = Request.Create().WithPath(path);
            guardDuty.Given(get ? request.UsingGet() : request.UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
        }
        Answer("/detector", $$"""{"detectorIds":["{{GuardDutyClientTests.Detector}}"]}""", get: true);
        Answer($"/detector/{GuardDutyClientTests.Detector}/findings/statistics",
            """{"findingStatistics":{"groupedBySeverity":[{"severity":8.0,"totalFindings":2}]}}""");
        Answer($"/detector/{GuardDutyClientTests.Detector}/findings",
            """{"findingIds":["8ac6a1f2b3c4d5e6f708192a3b4c5d01","0ec6a1f2b3c4d5e6f708192a3b4c5d05"]}""");
        Answer($"/detector/{GuardDutyClientTests.Detector}/findings/get", GuardDutyClientTests.TwoFindings);
        var net = Ec2Network.Standard();
        net.Instances[Web1].Tags[SkillTags.Protected] = "yes";
        var services = IsolationServices.Over(net);
        var driver = new SkillDriver(new SkillServices
        {
            Instances = services.Instances,
            Targets = services.Targets,
            Isolation = services.Isolation,
            Threats = new GuardDutyClient(FakeAws.Client(guardDuty, AwsService.GuardDuty), FakeAws.Region, GuardDutyClientTests.Account),
        });
        var findings = await driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null)));
        Assert.Contains("On web-1", findings.Speech, StringComparison.Ordinal);

        var reply = await driver.SayAsync(AlexaRequests.Intent("IsolateFindingIntent", ("ConfirmCount", null), ("SecurityCode", null)));

        Assert.StartsWith("I won't isolate web-1: it's tagged SecurityAlexa Protected, so I never change it.", reply.Speech);
        Assert.DoesNotContain("Dialog.ConfirmIntent", reply.DirectiveTypes);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task Block_WhenAnInstanceInTheSubnetIsProtected_RefusesBeforeTheReadBackAndAddsNoEntry()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 21, 0, 0, TimeSpan.Zero));
        var account = SandboxAccount.CreateDefault(time);
        account.World.Instances.Single(i => i.Tags.GetValueOrDefault("Name") == "db-1").Tags[SkillTags.Protected] = "yes";
        var driver = new SkillDriver(account.Services(), time: account.Clock,
            environment: new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" });
        var block = AlexaRequests.Intent("BlockAddressIntent", ("Address", "203.0.113.5"), ("InstanceName", "web one"));
        var before = account.NetworkAcls.Entries(SandboxNetworkAcls.ProdAcl).Count;

        var reply = await driver.SayAsync(block);
        var yes = await driver.SayAsync(block.Confirmation("CONFIRMED"));

        Assert.StartsWith("I won't block 203.0.113.5: db-1, in subnet-0prod1, is tagged SecurityAlexa Protected", reply.Speech);
        Assert.DoesNotContain("Dialog.ConfirmIntent", reply.DirectiveTypes);
        Assert.DoesNotContain("Done", yes.Speech, StringComparison.Ordinal);
        Assert.Equal(before, account.NetworkAcls.Entries(SandboxNetworkAcls.ProdAcl).Count);
        Assert.DoesNotContain(account.State.Items, i => i.Key == BlockLedger.Key(SandboxNetworkAcls.ProdAcl) && i.Text("rule#1") is not null);
    }

    // The EventBridge CreateTags event, as TagIsolationEventTests builds it, from the SecOps role.
    private static string TagEvent(string instanceId) => """
        {"version":"0","id":"7d2a0c1e-0000-4000-8000-000000000009","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2",
         "account":"111122223333","time":"2026-11-29T12:00:00Z","region":"us-east-1","resources":[],
         "detail":{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/SecOps/alice"},
          "eventTime":"2026-11-29T12:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateTags","awsRegion":"us-east-1",
          "requestParameters":{"resourcesSet":{"items":[{"resourceId":"INSTANCE"}]},
           "tagSet":{"items":[{"key":"SecurityAlexa:Isolate","value":"true"}]}},
          "eventID":"5b3c2f0e-0000-4000-8000-000000000009","eventType":"AwsApiCall"}}
        """.Replace("INSTANCE", instanceId, StringComparison.Ordinal);
}
