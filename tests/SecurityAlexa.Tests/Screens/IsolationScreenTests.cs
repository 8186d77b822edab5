using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Screens;

/// <summary>Isolation and release on a screen: each interface with its groups before and after, and the steps taken.</summary>
public sealed class IsolationScreenTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";

    private static AlexaRequests Isolate(string reason) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", reason)).WithApl();

    private static AlexaRequests Release() =>
        AlexaRequests.Intent("ReleaseIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null)).WithApl();

    [Fact]
    public async Task Isolated_OnAScreen_ShowsEachInterfaceBeforeAndAfter_ProtectionSnapshotsAndWhy()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("crypto mining"));
        var interfaces = net.Instances[Db1].InterfaceIds.Select(id => (Eni: id, Groups: net.Interfaces[id].Groups.ToList())).ToList();

        var done = await driver.SayAsync(Isolate("crypto mining").Confirmation("CONFIRMED"));
        var data = done.AssertWellFormed().ScreenData();

        Assert.Equal("isolation", (string?)done.Screen()!["token"]);
        Assert.StartsWith("Done. db-1 is isolated", done.Speech);
        Assert.Equal([Db1], data.ItemIds());
        var row = data["items"]![0]!;
        Assert.Equal("Isolated", (string?)row["badge"]);
        var lines = row["lines"]!.AsArray().Select(l => (string)l!).ToList();
        var after = net.Interfaces[net.Instances[Db1].InterfaceIds[0]].Groups.Single();
        foreach (var (eni, before) in interfaces)
            Assert.Contains($"{eni}: {string.Join(", ", before)} → {after}", lines);
        Assert.Contains(lines, l => l.StartsWith("Termination protection: on", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Snapshots: ", StringComparison.Ordinal));
        Assert.Contains("crypto mining", (string?)data["subtitle"]);
        Assert.StartsWith((string?)data["summary"], done.Speech);
    }

    [Fact]
    public async Task Status_OnAScreen_ListsTheSpokenInstancesWithWhenWhoAndWhy()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        await driver.SayAsync(Isolate("crypto mining"));
        await driver.SayAsync(Isolate("crypto mining").Confirmation("CONFIRMED"));

        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent").WithApl());
        var data = status.AssertWellFormed().ScreenData();

        Assert.StartsWith("One instance is isolated: db-1", status.Speech);
        Assert.Equal([Db1], data.ItemIds());
        Assert.Equal(["db-1"], data.ItemTitles());
        var lines = data["items"]![0]!["lines"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.Contains("Reason: crypto mining", lines);
        Assert.Contains(lines, l => l.StartsWith("By ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Released_OnAScreen_ShowsTheGroupsRestored()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        var before = net.Instances[Db1].InterfaceIds.Select(id => (Eni: id, Groups: net.Interfaces[id].Groups.ToList())).ToList();
        await driver.SayAsync(Isolate("test"));
        await driver.SayAsync(Isolate("test").Confirmation("CONFIRMED"));

        var readBack = await driver.SayAsync(Release());
        Assert.Equal("Will release", (string?)readBack.ScreenData()["items"]![0]!["badge"]);
        var released = await driver.SayAsync(Release().Confirmation("CONFIRMED"));
        var data = released.AssertWellFormed().ScreenData();

        var row = data["items"]![0]!;
        Assert.Equal("Released", (string?)row["badge"]);
        var lines = row["lines"]!.AsArray().Select(l => (string)l!).ToList();
        foreach (var (eni, groups) in before) Assert.Contains($"{eni}: back to {string.Join(", ", groups)}", lines);
    }
}
