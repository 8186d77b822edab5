using System.Net;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Faults;

/// <summary>
/// AWS failing inside the capabilities, through the real handlers and adapters (issue 7, item 8): throttling,
/// access denied, a 500 and a time-out at the start of each confirmed change, and a failure in the middle of a
/// multi-step one. Each gives a correct spoken account and loses nothing needed to retry or undo.
/// Not repeated here: SendCommand denied or throttled and the second patch batch's speech (Patching/PatchTargetingTests),
/// the isolator's own retry and release after a partial isolation (Isolation/InstanceIsolatorTests), coverage
/// denied after a scan started (Scanning/ScanHandlerTests).
/// </summary>
public sealed class CapabilityFaultTests
{
    private const string Isolated = "Done. web-1 is isolated: all 2 of its network interfaces are in the isolation group, and termination protection is on. Anything else?";

    public static TheoryData<string> Kinds => new() { "throttled", "denied", "server-error", "timeout" };

    public static TheoryData<string> TransientKinds => new() { "throttled", "server-error", "timeout" };

    private static string Expected(string kind, string operation) => kind switch
    {
        "throttled" => "AWS is limiting how fast I can call it right now. Please try again in a minute.",
        "denied" => $"I'm not allowed to call {operation}. Add that permission to the function's role, then try again.",
        "server-error" => $"AWS had a problem answering {operation}. Please try again in a minute.",
        _ => $"AWS didn't answer {operation} in time. Please try again in a moment.",
    };

    // An EC2 fault as the SDK raises it; a time-out is the SDK's own HTTP time-out.
    private static void FailEc2(HostileHarness h, string operation, string kind, Func<Amazon.Runtime.AmazonWebServiceRequest, bool>? when = null)
    {
        if (kind == "timeout")
            h.Net.Fail(operation, () => new TaskCanceledException("The request timed out (SDK HTTP timeout)."), when, times: 1);
        else
            h.Net.Fail(operation, kind switch { "throttled" => "RequestLimitExceeded", "denied" => "UnauthorizedOperation", _ => "InternalError" }, when, times: 1);
    }

    private static JsonObject LastAudit(HostileHarness h) =>
        JsonNode.Parse(h.Driver.Log.Lines.Last(l => l.Contains("\"kind\":\"audit\"")))!.AsObject();

    private static AlexaRequests Isolate(string name = "web-1") => HostileHarness.Say("IsolateIntent", ("InstanceName", name));

    private static AlexaRequests Release(string name) => HostileHarness.Say("ReleaseIntent", ("InstanceName", name));

    private static AlexaRequests Scan() => HostileHarness.Say("ScanIntent", ("InstanceName", "web-1"));

    private static async Task<AlexaReply> ReadBackAndConfirmAsync(HostileHarness h, AlexaRequests readBack, AlexaRequests yes)
    {
        h.Driver.EndSession();
        await h.Driver.SayAsync(readBack);
        return await h.Driver.SayAsync(yes);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Isolate_WhenEc2FailsAsTheConfirmedChangeStarts_SaysWhyChangesNothingAndTheNextYesIsolates(string kind)
    {
        using var h = new HostileHarness();
        await h.Driver.SayAsync(Isolate());
        FailEc2(h, "DescribeInstances", kind);

        var failed = await h.Driver.SayAsync(Isolate().Confirmation("CONFIRMED"));

        Assert.Equal(Expected(kind, "ec2:DescribeInstances"), failed.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.StartsWith("aws-", (string?)LastAudit(h)["outcome"]);
        h.AssertNoException();

        var done = await ReadBackAndConfirmAsync(h, Isolate(), Isolate().Confirmation("CONFIRMED"));

        Assert.Equal(Isolated, done.Speech);
        h.AssertWeb1Isolated();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Release_WhenEc2FailsAsTheConfirmedReleaseStarts_KeepsTheRecordAndTheNextYesRestores(string kind)
    {
        using var h = new HostileHarness();
        var eni = h.InterfacesOf(HostileHarness.Isolated).Single();
        var record = h.Net.Interfaces[eni].Tags.ToDictionary();
        await h.Driver.SayAsync(Release(HostileHarness.Isolated));
        FailEc2(h, "DescribeInstances", kind);

        var failed = await h.Driver.SayAsync(Release(HostileHarness.Isolated).Confirmation("CONFIRMED"));

        Assert.Equal(Expected(kind, "ec2:DescribeInstances"), failed.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Equal(record, h.Net.Interfaces[eni].Tags);
        Assert.Contains(SkillTags.IsolatedAt, h.Net.Instance(HostileHarness.IdOf(HostileHarness.Isolated)).Tags.Keys);

        var done = await ReadBackAndConfirmAsync(h, Release(HostileHarness.Isolated), Release(HostileHarness.Isolated).Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-2 is released", done.Speech);
        Assert.Equal(HostileHarness.IsolatedOriginals, h.Net.Interfaces[eni].Groups);
        Assert.Empty(h.Net.Interfaces[eni].Tags);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EnableScanning_WhenInspectorFailsToTurnOn_SaysWhyAndTheNextYesTurnsItOn(string kind)
    {
        using var h = new HostileHarness();
        var enable = HostileHarness.Say("EnableScanningIntent");
        await h.Driver.SayAsync(enable);
        AlexaReply failed;
        if (kind == "timeout")
        {
            h.Http.Hang("inspector2:Enable");
            var pending = h.Driver.SayAsync(HostileHarness.Say("EnableScanningIntent").Confirmation("CONFIRMED"));
            await h.Http.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // Just past the turn's deadline (7 s budget less the 0.8 s margin), before the watchdog's grace ends.
            h.Time.Advance(TimeSpan.FromMilliseconds(6300));
            failed = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        }
        else
        {
            var (status, type) = kind switch
            {
                "throttled" => (400, "ThrottlingException"),
                "denied" => (403, "AccessDeniedException"),
                _ => (500, "InternalServerException"),
            };
            h.Http.Fail("inspector2:Enable", status, type);
            failed = await h.Driver.SayAsync(HostileHarness.Say("EnableScanningIntent").Confirmation("CONFIRMED"));
        }

        Assert.Equal(Expected(kind, "inspector2:Enable"), failed.Speech);
        h.AssertNoException();
        // Throttling and 500s were retried, denial was not; nothing else was tried after the failure.
        Assert.Equal(kind is "throttled" or "server-error" ? 4 : 1, h.Http.CallsOf("inspector2:Enable").Count);
        Assert.Empty(h.Http.CallsOf("inspector2:CreateCisScanConfiguration"));

        h.Http.Heal();
        var done = await ReadBackAndConfirmAsync(h, HostileHarness.Say("EnableScanningIntent"), HostileHarness.Say("EnableScanningIntent").Confirmation("CONFIRMED"));

        Assert.Equal("Done. Amazon Inspector is turning on EC2 scanning. The first results can take a few minutes to appear.", done.Speech);
    }

    // A 500 or a time-out may hide a command SSM accepted: the skill looks for it by its comment, says it can't tell,
    // sends nothing more, holds back a retry of the same instance until SSM has had a few minutes to show it, then patches.
    [Theory]
    [InlineData("server-error")]
    [InlineData("timeout")]
    public async Task Patch_WhenSendCommandFailsWithA500OrTimesOut_SaysItCannotTellAndOnlyAFewMinutesLaterPatchesAgain(string kind)
    {
        using var h = new HostileHarness();
        static AlexaRequests Patch() => HostileHarness.Say("PatchIntent", ("InstanceName", "db-1"));
        await h.Driver.SayAsync(Patch());
        h.Patches.SendFailure = kind == "timeout"
            ? new TaskCanceledException("The request timed out (SDK HTTP timeout).")
            : SsmPatchFake.Error("InternalServerError", HttpStatusCode.InternalServerError);

        var failed = await h.Driver.SayAsync(Patch().Confirmation("CONFIRMED"));

        Assert.Equal("I asked Systems Manager to patch 1 instance, db-1, but "
            + (kind == "timeout" ? "it didn't answer in time" : "the call failed without a clear answer")
            + ", so I can't tell yet whether the patching started. I won't send it again. Ask me how the patching is going in a minute.", failed.Speech);
        Assert.Empty(h.Patches.Sent);
        Assert.Single(h.Patches.Searches);
        Assert.Equal("outcome-unknown", (string?)LastAudit(h)["notes"]?["patchOutcome"]);
        h.AssertNoException();

        // The same conversation: at once, the retry is held back; once SSM has had time to show the command, it goes out.
        h.Patches.SendFailure = null;
        await h.Driver.SayAsync(Patch());
        var held = await h.Driver.SayAsync(Patch().Confirmation("CONFIRMED"));
        h.Time.Advance(TimeSpan.FromMinutes(4));
        await h.Driver.SayAsync(Patch());
        var done = await h.Driver.SayAsync(Patch().Confirmation("CONFIRMED"));

        Assert.StartsWith("I still can't tell whether the patching I asked Systems Manager for just now, on db-1, started, so I haven't sent anything", held.Speech);
        Assert.StartsWith("Patching has started on 1 instance: db-1.", done.Speech);
        Assert.Equal([HostileHarness.IdOf("db-1")], Assert.Single(h.Patches.Sent).InstanceIds);
    }

    [Theory]
    [MemberData(nameof(TransientKinds))]
    public async Task Isolate_WhenTheSecondInterfaceFails_SaysWhatIsAndIsNotCutOffAndKeepsEveryRecord(string kind)
    {
        using var h = new HostileHarness();
        var (eni0, eni1) = (h.InterfacesOf("web-1")[0], h.InterfacesOf("web-1")[1]);
        FailEc2(h, "ModifyNetworkInterfaceAttribute", kind, r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == eni1);

        var reply = await ReadBackAndConfirmAsync(h, Isolate(), Isolate().Confirmation("CONFIRMED"));

        var problem = Expected(kind, "ec2:ModifyNetworkInterfaceAttribute");
        Assert.Equal("web-1 is only partly isolated: 1 of its 2 network interfaces is in the isolation group. " + problem
            + " Say isolate web-1 again to finish, or release web-1 to undo what was done. Anything else?", reply.Speech);
        Assert.Equal("isolated-partly", (string?)LastAudit(h)["outcome"]);
        // The record: the instance is marked, and both interfaces carry their originals, the one that moved and the one that did not.
        Assert.Equal([HostileHarness.IsolationGroupId], h.Net.Interfaces[eni0].Groups);
        Assert.Equal(["sg-0web00000000000a1"], h.Net.Interfaces[eni1].Groups);
        Assert.Equal("sg-0web00000000000a1 sg-0ssh00000000000a3", h.Net.Interfaces[eni0].Tags[IsolationRecord.OriginalGroups]);
        Assert.Equal("sg-0web00000000000a1", h.Net.Interfaces[eni1].Tags[IsolationRecord.OriginalGroups]);
        Assert.Contains(SkillTags.IsolatedAt, h.Net.Instance(HostileHarness.IdOf("web-1")).Tags.Keys);

        h.Driver.EndSession();
        var status = await h.Driver.SayAsync(HostileHarness.Say("IsolationStatusIntent"));

        Assert.Contains("web-1, only partly, since just now", status.Speech);
    }

    [Fact]
    public async Task Isolate_AfterTheSecondInterfaceFailed_SayingIsolateAgainFinishesOnlyWhatIsLeft()
    {
        using var h = new HostileHarness();
        var (eni0, eni1) = (h.InterfacesOf("web-1")[0], h.InterfacesOf("web-1")[1]);
        FailEc2(h, "ModifyNetworkInterfaceAttribute", "throttled", r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == eni1);
        await ReadBackAndConfirmAsync(h, Isolate(), Isolate().Confirmation("CONFIRMED"));
        var before = h.Net.MutatingCalls.Count;
        var isolatedAt = h.Net.Instance(HostileHarness.IdOf("web-1")).Tags[SkillTags.IsolatedAt];
        h.Time.Advance(TimeSpan.FromMinutes(2));

        h.Driver.EndSession();
        var readBack = await h.Driver.SayAsync(Isolate());
        var done = await h.Driver.SayAsync(Isolate().Confirmation("CONFIRMED"));

        Assert.StartsWith("Isolating web-1, instance ending in 0001", readBack.Speech);
        Assert.Equal(Isolated, done.Speech);
        var again = h.Net.MutatingCalls.Skip(before).Select(c => c.Request).ToList();
        // Only the interface that had not moved: its two steps; the first interface and its record are left alone.
        Assert.Equal(new[] { (eni1, HostileHarness.AllowAllGroupId), (eni1, HostileHarness.IsolationGroupId) },
            again.OfType<ModifyNetworkInterfaceAttributeRequest>().Select(m => (m.NetworkInterfaceId, string.Join(" ", m.Groups))));
        Assert.DoesNotContain(again.OfType<CreateTagsRequest>(), t => t.Resources.Contains(eni0));
        Assert.Equal([HostileHarness.IsolationGroupId], h.Net.Interfaces[eni1].Groups);
        Assert.Equal("sg-0web00000000000a1 sg-0ssh00000000000a3", h.Net.Interfaces[eni0].Tags[IsolationRecord.OriginalGroups]);
        Assert.Equal(isolatedAt, h.Net.Instance(HostileHarness.IdOf("web-1")).Tags[SkillTags.IsolatedAt]);
    }

    [Fact]
    public async Task Isolate_AfterTheSecondInterfaceFailed_ReleaseRestoresWhatMovedAndClearsTheRecord()
    {
        using var h = new HostileHarness();
        var (eni0, eni1) = (h.InterfacesOf("web-1")[0], h.InterfacesOf("web-1")[1]);
        FailEc2(h, "ModifyNetworkInterfaceAttribute", "server-error", r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == eni1);
        await ReadBackAndConfirmAsync(h, Isolate(), Isolate().Confirmation("CONFIRMED"));

        var released = await ReadBackAndConfirmAsync(h, Release("web-1"), Release("web-1").Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-1 is released", released.Speech);
        Assert.Equal(["sg-0web00000000000a1", "sg-0ssh00000000000a3"], h.Net.Interfaces[eni0].Groups);
        Assert.Equal(["sg-0web00000000000a1"], h.Net.Interfaces[eni1].Groups);
        Assert.Empty(h.Net.Interfaces[eni0].Tags);
        Assert.Empty(h.Net.Interfaces[eni1].Tags);
        var web1 = h.Net.Instance(HostileHarness.IdOf("web-1"));
        Assert.DoesNotContain(web1.Tags.Keys, k => k.StartsWith(SkillTags.Prefix, StringComparison.Ordinal) && k != SkillTags.ReleasedAt);
        Assert.False(web1.Protected);
    }

    [Fact]
    public async Task Scan_WhenCoverageFailsAfterTheCisScanWasCreated_SaysTheScanStartedAndTheResultsFindIt()
    {
        using var h = new HostileHarness();
        h.Http.Fail("inspector2:ListCoverage", 500, "InternalServerException");

        var reply = await ReadBackAndConfirmAsync(h, Scan(), Scan().Confirmation("CONFIRMED"));

        Assert.Equal("I turned on EC2 scanning. Scanning web-1. AWS had a problem answering inspector2:ListCoverage. Please try again in a minute. "
            + "Ask me what the scan found in a few minutes.", reply.Speech);
        Assert.Single(h.Http.CallsOf("inspector2:CreateCisScanConfiguration"));
        h.AssertNoException();

        // The scan's configuration is kept in the session: the results are looked up by it, not guessed.
        h.Http.Heal();
        var results = await h.Driver.SayAsync(HostileHarness.Say("ScanResultsIntent"));

        Assert.StartsWith("The scan of web-1 I started just now hasn't begun yet.", results.Speech);
        Assert.Contains(FakeHttpAws.ConfigurationArn, Assert.Single(h.Http.CallsOf("inspector2:ListCisScans")).Body);
    }

    [Fact]
    public async Task Scan_WhenCreatingTheCisScanFailsAfterScanningWasTurnedOn_SaysBothAndDoesNotTurnItOnAgain()
    {
        using var h = new HostileHarness();
        h.Http.Fail("inspector2:CreateCisScanConfiguration", 400, "ThrottlingException");

        var reply = await ReadBackAndConfirmAsync(h, Scan(), Scan().Confirmation("CONFIRMED"));
        h.Http.Heal();
        h.Driver.EndSession();
        var again = await h.Driver.SayAsync(Scan());

        Assert.Equal("I turned on EC2 scanning. AWS is limiting how fast I can call it right now. Please try again in a minute.", reply.Speech);
        Assert.Equal("Amazon Inspector is still turning on EC2 scanning in this account. Please ask me again in a few minutes.", again.Speech);
        Assert.Single(h.Http.CallsOf("inspector2:Enable"));
    }

    [Fact]
    public async Task Patch_WhenTheSecondBatchFails_StatusStillFollowsTheBatchThatWentOut()
    {
        var fleet = new Ec2Fleet();
        var ids = Enumerable.Range(0, 80).Select(i => $"i-{i:D17}").ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i))) fleet.Add(id, $"node-{i:D3}", "running", "Fleet=big");
        var h = new PatchHarness(fleet, new SsmPatchFake().Online(ids), new Dictionary<string, string> { ["PATCH_CAP"] = "500" });
        h.Ssm.SendFailure = SsmPatchFake.Error("InternalServerError", HttpStatusCode.InternalServerError);
        h.Ssm.FailSendAfter = 1;
        await h.Driver.SayAsync(PatchHarness.Patch("fleet", "big"));
        await h.Driver.SayAsync(PatchHarness.Answer("fleet", "big", except: "node-079"));

        var partly = await h.Driver.SayAsync(PatchHarness.SayCount("79", "fleet", "big", except: "node-079"));
        h.Ssm.Invocations("cmd-1", [.. ids.Take(50).Select(id => (id, "InProgress"))]);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        var status = await h.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent"));

        // A 500 may hide an accepted command: the second batch is "can't tell", not "failed", and is never re-sent.
        Assert.StartsWith("I started patching 50 instances: node-000, node-001", partly.Speech);
        Assert.Contains("I asked Systems Manager to patch 29 instances, node-050, node-051", partly.Speech);
        Assert.Contains("but the call failed without a clear answer, so I can't tell yet whether the patching started. I won't send it again.", partly.Speech);
        Assert.Single(h.Ssm.Sent);
        // Status follows the batch that went; the other, still unseen after 5 minutes, was most likely never sent.
        Assert.StartsWith("Patching of 50 instances, started 5 minutes ago, is still running", status.Speech);
        Assert.Contains("Systems Manager still has no record of the patching I asked it for 5 minutes ago, on node-050, node-051", status.Speech);
        Assert.Equal("cmd-1", Assert.Single(h.Ssm.ListRequests, r => r.CommandId is not null).CommandId);
        Assert.Equal(2, h.Ssm.Searches.Count);
    }
}
