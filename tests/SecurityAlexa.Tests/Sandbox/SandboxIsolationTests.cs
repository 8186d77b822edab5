using SecurityAlexa.Skill;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Isolation;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Sandbox;

public sealed class SandboxIsolationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static (SkillDriver Driver, SandboxAccount Account, FakeTimeProvider Time) Sandbox()
    {
        var time = new FakeTimeProvider(Start);
        var account = SandboxAccount.CreateDefault(time);
        var driver = new SkillDriver(account.Services(), time: account.Clock,
            environment: new Dictionary<string, string>(SecurityAlexa.Tests.Isolation.TagIsolationEventTests.SecOpsMayTag)
            {
                ["BLOCKED_TRAFFIC_WAIT_MS"] = "0", ["SNAPSHOT_ON_ISOLATION"] = "true",
            });
        return (driver, account, time);
    }

    private static AlexaRequests Intent(string name, string? instance) => name == "IsolateIntent"
        ? AlexaRequests.Intent(name, ("InstanceName", instance), ("TagKey", null), ("TagValue", null), ("Reason", "port scan from web one"))
        : AlexaRequests.Intent(name, ("InstanceName", instance), ("TagKey", null), ("TagValue", null));

    [Fact]
    public async Task Sandbox_IsolateCountBlockedTrafficRelease_ChangesTheWorldAndPutsItBack()
    {
        var (driver, account, time) = Sandbox();
        var web1 = account.World.Find("i-0a1b2c3d4e5f60001")!;
        var originals = web1.Interfaces.Select(i => i.Groups.ToList()).ToList();

        await driver.SayAsync(Intent("IsolateIntent", "web one"));
        var done = await driver.SayAsync(Intent("IsolateIntent", "web one").Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-1 is isolated: all 2 of its network interfaces are in the isolation group, and termination protection is on.", done.Speech);
        Assert.Contains("I started 1 snapshot; the ids are on the card.", done.Speech);
        var isolation = account.World.SecurityGroups.Single(g => g.Tags.GetValueOrDefault(SkillTags.GroupRole) == IsolationRecord.IsolationRole);
        Assert.False(isolation.AllowsAllIngress);
        Assert.False(isolation.AllowsAllEgress);
        Assert.All(web1.Interfaces, i => Assert.Equal([isolation.Id], i.Groups));
        Assert.True(web1.TerminationProtection);
        Assert.Single(account.Chat.Posts);
        Assert.Single(account.Isolation.Snapshots);

        time.Advance(TimeSpan.FromMinutes(10));
        var counting = await driver.SayAsync(Intent("BlockedTrafficIntent", "web one"));
        Assert.StartsWith("I'm still counting", counting.Speech);
        time.Advance(TimeSpan.FromSeconds(2));
        var counted = await driver.SayAsync(AlexaRequests.Intent("BlockedTrafficIntent", ("InstanceName", null)));
        Assert.StartsWith("Since web-1 was isolated 10 minutes ago, its flow logs show 240 blocked connections.", counted.Speech);

        await driver.SayAsync(Intent("ReleaseIntent", "web one"));
        var released = await driver.SayAsync(Intent("ReleaseIntent", "web one").Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-1 is released", released.Speech);
        Assert.Equal(originals, web1.Interfaces.Select(i => i.Groups.ToList()).ToList());
        Assert.False(web1.TerminationProtection);
        Assert.DoesNotContain(SkillTags.IsolatedAt, web1.Tags.Keys);
        Assert.Equal("2026-11-29T10:10:02Z", web1.Tags[SkillTags.ReleasedAt]);
        Assert.Equal(2, account.Chat.Posts.Count);
    }

    [Fact]
    public async Task Sandbox_BlockedTrafficInTheDevVpc_SaysThereAreNoFlowLogs()
    {
        var (driver, _, _) = Sandbox();
        await driver.SayAsync(Intent("IsolateIntent", "dev one"));
        await driver.SayAsync(Intent("IsolateIntent", "dev one").Confirmation("CONFIRMED"));

        var reply = await driver.SayAsync(Intent("BlockedTrafficIntent", "dev one"));

        Assert.StartsWith("dev-1's VPC has no flow logs going to CloudWatch Logs", reply.Speech);
    }

    [Fact]
    public async Task Sandbox_TagEvent_IsolatesTheTaggedInstance()
    {
        var (driver, account, _) = Sandbox();
        var api1 = account.World.Find(SandboxIsolation.TaggedForIsolation)!;
        var evt = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "events", "eventbridge-createtags.json"));
        // The rule puts the event on the queue; the queue delivers it to the function, as the event source mapping does.
        account.Queue.Send(evt);

        var delivered = await account.Queue.DeliverAsync((body, ct) => driver.Host.Dispatcher.InvokeAsync(body, new InvocationInfo(), ct),
            CancellationToken.None);

        Assert.Equal(1, delivered);
        Assert.Equal(0, account.Queue.Count);
        Assert.Empty(account.Queue.DeadLetters);
        Assert.Contains(SkillTags.IsolatedAt, api1.Tags.Keys);
        Assert.Contains("by the tag SecurityAlexa:Isolate=true", Assert.Single(account.Chat.Posts));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SecurityAlexa.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("No SecurityAlexa.sln above the test output.");
    }
}
