using System.Text.RegularExpressions;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Screens;

/// <summary>Patch status on a screen: the spoken counts as bars, every instance with its state and reason.</summary>
public sealed partial class PatchStatusScreenTests
{
    private static async Task<PatchHarness> Started()
    {
        var h = new PatchHarness();
        await h.SayWithFocusAsync(Patch(), ProdFocus);
        await h.Driver.SayAsync(Answer(selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", selection: "all of them"));
        return h;
    }

    [Fact]
    public async Task Status_OnAScreen_ShowsTheSpokenCountsAndEachInstance()
    {
        var h = await Started();
        h.Ssm.CommandStatusIs("cmd-1", "InProgress").Invocations("cmd-1", (Web1, "Success"), (Web2, "Failed"), (Db1, "Pending"));
        h.Time.Advance(TimeSpan.FromMinutes(2));

        var status = await h.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent").WithApl());
        var data = status.AssertWellFormed().ScreenData();

        Assert.Equal("patchStatus", (string?)status.Screen()!["token"]);
        var spoken = Counts().Match(status.Speech);
        Assert.True(spoken.Success, status.Speech);
        Assert.Equal(long.Parse(spoken.Groups["ok"].Value), data.Bar("Succeeded"));
        Assert.Equal(long.Parse(spoken.Groups["running"].Value), data.Bar("In progress"));
        Assert.Equal(long.Parse(spoken.Groups["failed"].Value), data.Bar("Failed"));
        // Failed first, then in progress, then succeeded: what needs attention is on top.
        Assert.Equal([Web2, Db1, Web1], data.ItemIds());
        Assert.Equal(["Failed", "In progress", "Succeeded"], data["items"]!.AsArray().Select(i => (string)i!["badge"]!));
        Assert.Contains("web-2", status.Speech);
        Assert.StartsWith("Patching of 3 instances", (string?)data["summary"]);
    }

    [Fact]
    public async Task Status_WithoutAScreen_HasNoDirective()
    {
        var h = await Started();
        h.Ssm.CommandStatusIs("cmd-1", "InProgress").Invocations("cmd-1", (Web1, "Success"), (Web2, "InProgress"), (Db1, "Pending"));

        var status = await h.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent"));

        Assert.Empty(status.DirectiveTypes);
    }

    [GeneratedRegex(@"(?<ok>\d+) succeeded, (?<running>\d+) in progress and (?<failed>\d+) failed")]
    private static partial Regex Counts();
}
