using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Screens;

/// <summary>Touches on a screen (APL UserEvent): an instance's detail is read aloud; nothing ever changes; odd input is answered politely.</summary>
public sealed class ScreenTouchTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";

    private static AlexaRequests Touch(string token, JsonArray? arguments) => AlexaRequests.Raw(new JsonObject
    {
        ["type"] = "Alexa.Presentation.APL.UserEvent",
        ["token"] = token,
        ["arguments"] = arguments,
        ["source"] = new JsonObject { ["type"] = "TouchWrapper", ["handler"] = "Press", ["id"] = "" },
    }).WithApl();

    private static JsonObject? State(SkillDriver driver) =>
        (string?)driver.Attributes?["securityAlexa"]?["data"] is { } data ? JsonNode.Parse(data)!.AsObject() : null;

    [Fact]
    public async Task TouchOnAnInstance_ReadsItsDetailAloud_AndChangesNothing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Touch("scanResults", ["instance", Db1]));

        reply.AssertWellFormed();
        Assert.StartsWith("db-1, the instance ending in 4f2a, is running. It is tagged Environment prod.", reply.Speech);
        Assert.False(reply.EndsSession);
        Assert.Empty(reply.DirectiveTypes);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task TouchOnAnInstance_WithReadAccessForSpeakersOnly_AndNoRecognisedVoice_SaysNoDetail_AndLooksNothingUp()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net), environment: new Dictionary<string, string> { ["READ_ACCESS"] = "speakers" });

        var reply = await driver.SayAsync(Touch("scanResults", ["instance", Db1]).Speaker(null));

        reply.AssertWellFormed();
        Assert.StartsWith("I read out an instance's details only to a voice I recognise. Nothing has changed.", reply.Speech);
        Assert.DoesNotContain("db-1", reply.Speech + reply.CardText, StringComparison.Ordinal);
        Assert.Empty(net.Operations);
        // A touch that Alexa says an allowed voice made is read out as before.
        var allowed = await driver.SayAsync(Touch("scanResults", ["instance", Db1]));
        Assert.StartsWith("db-1, the instance ending in 4f2a, is running.", allowed.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TouchDuringARead_Back_KeepsThePendingActionAndSaysChangesAreByVoice()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", null)).WithApl());
        var pending = State(driver)!["pending"]!.ToJsonString();

        var reply = await driver.SayAsync(Touch("readBack", ["instance", Db1]));

        Assert.Contains("Changes are made by voice, after a read-back and your yes.", reply.Speech);
        Assert.Equal(pending, State(driver)!["pending"]!.ToJsonString());
        Assert.Empty(net.MutatingCalls);
    }

    public static TheoryData<string?> OddArguments => new()
    {
        null,
        "[]",
        """["instance"]""",
        """["isolate","i-0a1b2c3d4e5f64f2a"]""",
        """["instance","i-0a1b2c3d4e5f64f2a","yes"]""",
        """["instance",42]""",
        """["instance","web-1; drop table"]""",
        """[{"instance":"i-0a1b2c3d4e5f64f2a"}]""",
    };

    [Theory]
    [MemberData(nameof(OddArguments))]
    public async Task TouchWithArgumentsItDoesNotKnow_IsAnsweredPolitely_AndChangesNothing(string? arguments)
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Touch("readBack", arguments is null ? null : JsonNode.Parse(arguments)!.AsArray()));

        reply.AssertWellFormed();
        Assert.StartsWith("Sorry, I don't know what that touch meant. Nothing has changed.", reply.Speech);
        Assert.False(reply.EndsSession);
        Assert.Empty(net.MutatingCalls);
        Assert.Empty(net.Operations);
    }

    [Fact]
    public async Task TouchOnAnInstanceThatIsGone_SaysSo()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(Touch("scanResults", ["instance", "i-0ffffffffffffffff"]));

        Assert.Equal("I can't find that instance any more. Nothing has changed.", reply.Speech);
        Assert.Empty(net.MutatingCalls);
    }
}
