using Amazon.EC2.Model;
using SecurityAlexa.Isolation;
using SecurityAlexa.Notifications;
using SecurityAlexa.Aws;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.Isolation;

public sealed class IsolationConversationTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";

    private static AlexaRequests Isolate(string? name, string? reason = null) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", name), ("TagKey", null), ("TagValue", null), ("Reason", reason));

    private static AlexaRequests Release(string? name) =>
        AlexaRequests.Intent("ReleaseIntent", ("InstanceName", name), ("TagKey", null), ("TagValue", null));

    [Fact]
    public async Task IsolateIntent_ReadsBackNameIdEndingAndVpc_AndChangesNothingBeforeAYes()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Isolate("db one", "crypto mining"));

        Assert.Equal("Isolating db-1, instance ending in 4f2a, in the VPC ending in prod. It will lose all network access. Shall I go ahead?", reply.Speech);
        Assert.Contains("<say-as interpret-as=\"characters\">4f2a</say-as>", reply.Ssml);
        Assert.Equal(["Dialog.ConfirmIntent"], reply.DirectiveTypes);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateIntent_WhenTheUserSaysNo_ChangesNothing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("db one"));

        var reply = await driver.SayAsync(Isolate("db one").Confirmation("DENIED"));

        Assert.StartsWith("OK, I won't isolate anything. Nothing was changed.", reply.Speech);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateIntent_WhenConfirmedWithoutAReadBack_ReadsBackInsteadOfActing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));

        Assert.Contains("Shall I go ahead?", reply.Speech);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateIntent_OnYes_IsolatesExactlyWhatWasReadBack()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("db one"));

        var reply = await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. db-1 is isolated: its network interface is in the isolation group, and termination protection is on.", reply.Speech);
        Assert.Contains(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is CreateTagsRequest t && t.Resources.Contains(Web1));
        Assert.Contains("sg-0db000000000000a2", reply.CardText);
        var audit = driver.Log.Lines.Last(l => l.Contains("\"level\":\"AUDIT\"", StringComparison.Ordinal));
        Assert.Contains("i-0a1b2c3d4e5f64f2a=Isolated", audit);
        Assert.Contains("ec2:ModifyNetworkInterfaceAttribute", audit);
    }

    [Fact]
    public async Task IsolateIntent_WhenTheYesComesWithOtherSlots_ChangesNothingAndReadsBackAgain()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("db one"));

        var reply = await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));

        Assert.Contains("Isolating web-1, instance ending in 0001", reply.Speech);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateIntent_WhenAlreadyIsolated_SaysSinceWhenAndAsksNothing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("db one"));
        await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));
        var calls = net.MutatingCalls.Count;
        driver.EndSession();

        var reply = await driver.SayAsync(Isolate("db one"));

        Assert.StartsWith("db-1 is already isolated, since just now. I changed nothing.", reply.Speech);
        Assert.Empty(reply.DirectiveTypes);
        Assert.Equal(calls, net.MutatingCalls.Count);
    }

    [Fact]
    public async Task Conversation_IsolateYesStatusReleaseYes_LeavesTheInstanceAsItWas()
    {
        var net = Ec2Network.Standard();
        var chat = new RecordingChat();
        var driver = new SkillDriver(IsolationServices.Over(net, chat));
        var originals = net.GroupsOf(Web1);

        var readBack = await driver.SayAsync(Isolate("web one", "suspicious outbound traffic"));
        Assert.StartsWith("Isolating web-1, instance ending in 0001", readBack.Speech);

        var done = await driver.SayAsync(Isolate("web one", "suspicious outbound traffic").Confirmation("CONFIRMED"));
        Assert.StartsWith("Done. web-1 is isolated: all 2 of its network interfaces are in the isolation group, and termination protection is on.", done.Speech);
        Assert.Contains("Isolated web-1 (" + Web1 + ")", Assert.Single(chat.Posts));

        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));
        // Issue 13 §6: the reason goes on the card, never into speech.
        Assert.StartsWith("One instance is isolated: web-1, since just now. The reasons are on the card in the Alexa app.", status.Speech);
        Assert.DoesNotContain("suspicious", status.Speech, StringComparison.Ordinal);
        Assert.Contains("Reason: suspicious outbound traffic", status.CardText);

        var releaseReadBack = await driver.SayAsync(Release("web one"));
        Assert.Equal("Releasing web-1, instance ending in 0001: its network interfaces get their original security groups back, and termination protection goes back to off. Shall I go ahead?", releaseReadBack.Speech);
        Assert.Equal(["Dialog.ConfirmIntent"], releaseReadBack.DirectiveTypes);

        var released = await driver.SayAsync(Release("web one").Confirmation("CONFIRMED"));
        Assert.StartsWith("Done. web-1 is released: its 2 network interfaces have their original security groups back, and termination protection is off again.", released.Speech);

        Assert.Equal(originals, net.GroupsOf(Web1));
        Assert.False(net.Instances[Web1].Protected);
        Assert.Contains(SkillTags.ReleasedAt, net.Instances[Web1].Tags.Keys);
        Assert.Equal(2, chat.Posts.Count);
        var after = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));
        Assert.Equal("No instances are isolated. Anything else?", after.Speech);
        Assert.False(after.EndsSession);
    }

    [Fact]
    public async Task IsolateIntent_ByTag_ReadsBackEveryInstanceAndIsolatesThemAll()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        var byTag = () => AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod"), ("Reason", "incident 42"));

        var readBack = await driver.SayAsync(byTag());
        var done = await driver.SayAsync(byTag().Confirmation("CONFIRMED"));

        Assert.Equal("Isolating 3 instances: db-1, web-1 and web-2, in the VPC ending in prod. They will lose all network access. Shall I go ahead?", readBack.Speech);
        Assert.StartsWith("Done. 3 instances are isolated: db-1, web-1 and web-2.", done.Speech);
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        Assert.All(net.Interfaces.Values, e => Assert.Equal([isolation], e.Groups));
        Assert.All(net.Instances.Values, i => Assert.Equal("incident 42", i.Tags[IsolationRecord.Reason]));
    }

    [Fact]
    public async Task IsolateIntent_ByTagOverTheCountThreshold_AsksForTheNumberWithoutAYesQuestion_AndActsOnIt()
    {
        var net = Ec2Network.Standard();
        net.AddInstance("i-0a1b2c3d4e5f60009", "web-4", ["sg-0web00000000000a1"], "Environment=prod");
        var driver = new SkillDriver(IsolationServices.Over(net));
        var byTag = () => AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod"), ("Reason", null));

        var readBack = await driver.SayAsync(byTag());

        Assert.Equal("Isolating 4 instances: db-1, web-1, web-2 and web-4, in the VPC ending in prod. They will lose all network access. "
            + "To go ahead, say the number of instances this will change. To stop, say cancel.", readBack.Speech);
        Assert.Equal("ConfirmCount", (string?)readBack.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Empty(net.MutatingCalls);

        var done = await driver.SayAsync(byTag().WithSlot("ConfirmCount", "4").Dialog("IN_PROGRESS"));

        Assert.StartsWith("Done. 4 instances are isolated: db-1, web-1, web-2 and web-4.", done.Speech);
        Assert.Equal(4, net.Instances.Values.Count(i => i.Tags.ContainsKey(SkillTags.IsolatedAt)));
    }

    [Theory]
    [InlineData("IsolateIntent")]
    [InlineData("ReleaseIntent")]
    public async Task ByTag_WhenTheGroupIsLargerThanASessionCarries_RefusesWholeAndChangesNothing(string intent)
    {
        var net = Ec2Network.Standard();
        for (var n = 0; n < IsolationTargets.MaxInstances; n++)
            net.AddInstance($"i-0b{n:x15}", $"node-{n}", ["sg-0web00000000000a1"], "Environment=prod", $"{SkillTags.IsolatedAt}=2026-11-30T09:00:00Z");
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(AlexaRequests.Intent(intent, ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod")));

        Assert.StartsWith($"That's {IsolationTargets.MaxInstances + 3} instances tagged Environment prod. I isolate or release at most {IsolationTargets.MaxInstances} at a time", reply.Speech);
        Assert.Empty(net.MutatingCalls);
        // Nothing is pending, so a yes cannot act on the group.
        var yes = await driver.SayAsync(AlexaRequests.Intent(intent, ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod")).Confirmation("CONFIRMED"));
        Assert.Empty(net.MutatingCalls);
        Assert.StartsWith("That's 53 instances", yes.Speech);
    }

    [Fact]
    public async Task ReleaseIntent_ByTagOverTheCountThreshold_AsksForTheNumberWithoutAYesQuestion()
    {
        var net = Ec2Network.Standard();
        net.AddInstance("i-0a1b2c3d4e5f60009", "web-4", ["sg-0web00000000000a1"], "Environment=prod");
        var driver = new SkillDriver(IsolationServices.Over(net));
        var isolate = () => AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod"), ("Reason", null));
        await driver.SayAsync(isolate());
        await driver.SayAsync(isolate().WithSlot("ConfirmCount", "four").Dialog("IN_PROGRESS"));

        var readBack = await driver.SayAsync(AlexaRequests.Intent("ReleaseIntent", ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod")));

        Assert.Equal("Releasing 4 instances: db-1, web-1, web-2 and web-4. Their network interfaces get their original security groups back, "
            + "and termination protection goes back to how it was. To go ahead, say the number of instances this will change. To stop, say cancel.", readBack.Speech);
        Assert.DoesNotContain("Shall I", readBack.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IsolationStatusIntent_WhenNoReasonWasGiven_SaysNoBecauseClause()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("web one"));
        await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));

        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.StartsWith("One instance is isolated: web-1, since just now.", status.Speech);
        Assert.DoesNotContain("because", status.Speech, StringComparison.Ordinal);
        Assert.Contains("Reason: none given", status.CardText);
    }

    [Fact]
    public async Task IsolationStatusIntent_ForInstancesIsolatedTogether_NamesThemOnceWithTheirTimeAndPutsTheReasonOnTheCard()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        var byTag = () => AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod"), ("Reason", "incident 42"));
        await driver.SayAsync(byTag());
        await driver.SayAsync(byTag().Confirmation("CONFIRMED"));

        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.Equal("3 instances are isolated: web-1, web-2 and db-1, since just now. The reasons are on the card in the Alexa app. Anything else?", status.Speech);
        Assert.Contains("Reason: incident 42", status.CardText);
    }

    [Fact]
    public async Task IsolationStatusIntent_ForIsolationsAtDifferentTimes_GivesEachGroupItsOwnSentence()
    {
        var net = Ec2Network.Standard();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var driver = new SkillDriver(IsolationServices.Over(net), time: time);
        await driver.SayAsync(Isolate("db one", "crypto mining"));
        await driver.SayAsync(Isolate("db one", "crypto mining").Confirmation("CONFIRMED"));
        time.Advance(TimeSpan.FromMinutes(10));
        await driver.SayAsync(Isolate("web one"));
        await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));

        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.Equal("2 instances are isolated. web-1, since just now. db-1, since 10 minutes ago. The reasons are on the card in the Alexa app. Anything else?", status.Speech);
        Assert.DoesNotContain("crypto", status.Speech, StringComparison.Ordinal);
        Assert.Contains("Reason: crypto mining", status.CardText);
    }

    [Fact]
    public async Task ReleaseIntent_WhenTheInstanceHasNoRecord_RefusesClearlyAndChangesNothing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Release("web two"));

        Assert.StartsWith("web-2 has no isolation record, so there's nothing for me to undo. I changed nothing.", reply.Speech);
        Assert.Empty(reply.DirectiveTypes);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task ReleaseIntent_WithNothingNamed_ReleasesTheInstanceInFocus()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("db one"));
        await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));

        var reply = await driver.SayAsync(Release(null));

        Assert.StartsWith("Releasing db-1, instance ending in 4f2a", reply.Speech);
    }

    [Fact]
    public async Task IsolateIntent_WithNothingNamedAndNothingInFocus_AsksWhichInstance()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Isolate(null));

        Assert.StartsWith("Which instance should I isolate?", reply.Speech);
        Assert.Equal("InstanceName", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateIntent_WithNothingNamedAndALargeFocusWithoutIds_RefusesToActFromMemoryAndAsksWhich()
    {
        var net = Ec2Network.Standard();
        var store = SecurityAlexa.Tests.Patching.PatchHarness.NewStore();
        var driver = new SkillDriver(IsolationServices.Over(net), store: store);
        var ids = Enumerable.Range(1, 300).Select(i => $"i-{i:D17}").ToList();
        var focus = SecurityAlexa.Skill.TargetMemory.Of("tagged Environment prod", ids, ids, "Environment", "prod", vulnerable: true);

        var reply = await driver.SayAsync(Isolate(null).InSession(SecurityAlexa.Tests.Patching.PatchHarness.SessionWith(store, focus)));

        Assert.StartsWith("The instances we were talking about are 300 instances tagged Environment prod. " +
            "That's more than I'll act on from memory, so I haven't isolated or released anything. Which instance should I isolate?", reply.Speech);
        Assert.Equal("InstanceName", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateIntent_WhenAnInterfaceFails_SaysExactlyWhatWasAndWasNotIsolated()
    {
        var net = Ec2Network.Standard();
        net.Fail("ModifyNetworkInterfaceAttribute", when: r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == "eni-0a1b2c3d4e5f600011");
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("web one"));

        var reply = await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));

        Assert.StartsWith("web-1 is only partly isolated: 1 of its 2 network interfaces is in the isolation group. I'm not allowed to call ec2:ModifyNetworkInterfaceAttribute.", reply.Speech);
        Assert.Contains("Say isolate web-1 again to finish, or release web-1 to undo what was done.", reply.Speech);
        Assert.Contains("eni-0a1b2c3d4e5f600011: sg-0web00000000000a1 -> sg-0web00000000000a1 (unchanged)", reply.CardText);
    }

    [Fact]
    public async Task IsolateIntent_WhenTheWebhookFails_StillIsolatesAndSaysTheChatWasNotNotified()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        var notifier = new WebhookChatNotifier(new FixedUrl(server.Url + "/hook"), new HttpClient(), new WebhookOptions { RetryDelay = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(30) });
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net, notifier));
        await driver.SayAsync(Isolate("db one"));

        var reply = await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. db-1 is isolated", reply.Speech);
        Assert.Contains("I couldn't notify the chat channel.", reply.Speech);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        // The webhook was reached and answered 500 (WireMock's own log is written after it answers).
        Assert.Contains(driver.Log.Lines, l => l.Contains("chat.failed", StringComparison.Ordinal) && l.Contains("status 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IsolateIntent_WhenEc2DeniesTheFirstCall_SpeaksTheMissingPermissionAndChangesNothing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("db one"));
        net.Fail("DescribeNetworkInterfaces");

        var reply = await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));

        Assert.Equal("I'm not allowed to call ec2:DescribeNetworkInterfaces. Add that permission to the function's role, then try again.", reply.Speech);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateIntent_WhenTheTurnHasNoTimeLeftForTheWork_SaysItContinuesInTheBackground()
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue();
        // A reserve longer than the whole turn: nothing may start in it.
        var driver = new SkillDriver(IsolationServices.Over(net, queue: queue),
            environment: new Dictionary<string, string> { ["ISOLATE_RESERVE_MS"] = "60000" });
        await driver.SayAsync(Isolate("db one"));

        var reply = await driver.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));
        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.StartsWith("1 instance, db-1, is being isolated in the background. Ask me which instances are isolated in a minute to check.",
            reply.Speech);
        Assert.Empty(net.MutatingCalls);
        Assert.Equal("isolate-instance", Assert.Single(queue.Items).Kind);
        Assert.StartsWith("No instances are isolated. db-1 is still being isolated in the background.", status.Speech);
    }

    [Fact]
    public async Task IsolateIntent_WhenTheWorkGoesOnInTheBackground_TheQueuedUnitFinishesItAndStatusThenSaysSo()
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue();
        // The two containers share the state table, as in Lambda: the consumer's record is what status reads.
        var table = new SecurityAlexa.State.InMemoryStateTable();
        var turns = new SkillDriver(IsolationServices.Over(net, queue: queue, state: table),
            environment: new Dictionary<string, string> { ["ISOLATE_RESERVE_MS"] = "60000" });
        await turns.SayAsync(Isolate("db one"));
        await turns.SayAsync(Isolate("db one").Confirmation("CONFIRMED"));
        // Another container, with the usual reserve, consumes the queue (end to end, through Function.HandleAsync).
        var consumer = new SkillDriver(IsolationServices.Over(net, state: table));

        var failures = SqsEvents.Failures(await consumer.SendRawAsync(queue.AsBatch()));
        var status = await turns.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.Empty(failures);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.StartsWith("One instance is isolated: db-1", status.Speech);
        Assert.False(status.Speech.Contains("background", StringComparison.Ordinal), status.Speech);
    }

    private sealed class FixedUrl(string url) : IWebhookUrlSource
    {
        public Task<string?> GetUrlAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(url);
    }
}
