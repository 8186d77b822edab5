using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Screens;

/// <summary>Read-backs on a screen: exactly the list the yes will act on, with the read-back as spoken; nothing changes before the yes.</summary>
public sealed class ReadBackScreenTests
{
    private static JsonObject? State(SkillDriver driver) =>
        (string?)driver.Attributes?["securityAlexa"]?["data"] is { } data ? JsonNode.Parse(data)!.AsObject() : null;

    [Fact]
    public async Task PatchReadBack_OnAScreen_ListsThePendingInstancesInSpokenOrder_AndTheYesActsOnThem()
    {
        var h = new PatchHarness();
        await h.SayWithFocusAsync(Patch().WithApl(), ProdFocus);

        var readBack = await h.Driver.SayAsync(Answer(selection: "all of them").WithApl());
        var data = readBack.AssertWellFormed().ScreenData();

        Assert.Equal("readBack", (string?)readBack.Screen()!["token"]);
        Assert.Equal(["Dialog.ConfirmIntent", "Alexa.Presentation.APL.RenderDocument"], readBack.DirectiveTypes);
        var pending = State(h.Driver)!["pending"]!["ids"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(pending, data.ItemIds());
        Assert.Equal(["web-1", "web-2", "db-1"], data.ItemTitles());
        Assert.Contains("web-1, web-2 and db-1", readBack.Speech);
        Assert.Equal(readBack.Speech, (string?)data["summary"]);
        Assert.All(data["items"]!.AsArray(), i => Assert.Equal("Will patch", (string?)i!["badge"]));
        Assert.StartsWith("Say yes to go ahead", (string?)data["hint"]);
        Assert.Empty(h.Ssm.Sent);

        await h.Driver.SayAsync(Confirm("CONFIRMED", selection: "all of them").WithApl());

        Assert.Equal(data.ItemIds(), Assert.Single(h.Ssm.Sent).InstanceIds);
    }

    [Fact]
    public async Task PatchReadBack_WithoutAScreen_HasOnlyTheConfirmation()
    {
        var h = new PatchHarness();
        await h.SayWithFocusAsync(Patch(), ProdFocus);

        var readBack = await h.Driver.SayAsync(Answer(selection: "all of them"));

        Assert.Equal(["Dialog.ConfirmIntent"], readBack.DirectiveTypes);
    }

    [Fact]
    public async Task IsolateReadBack_OnAScreen_ShowsTheOneInstance_AndChangesNothing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var reply = await driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", null)).WithApl());
        var data = reply.AssertWellFormed().ScreenData();

        Assert.Equal(["i-0a1b2c3d4e5f64f2a"], data.ItemIds());
        Assert.Equal(["db-1"], data.ItemTitles());
        Assert.Equal("Will isolate", (string?)data["items"]![0]!["badge"]);
        Assert.Empty(net.MutatingCalls);
    }
}
