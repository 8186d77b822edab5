using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Queue;

/// <summary>
/// Issue 12 §3: "which instances are isolated?" names the instances still in progress on the work queue, in any
/// session and on any device, because the table notes them (queued#{instanceId}) until their unit is done.
/// </summary>
public sealed class DurableInProgressTests
{
    private static AlexaRequests IsolateProd() => AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", "environment"),
        ("TagValue", "prod"), ("Reason", "port scan"));

    [Fact]
    public async Task Status_InAnotherSession_NamesTheInstancesStillOnTheQueueUntilTheirUnitsAreDone()
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero)));
        // Every EC2 call takes a second of sandbox time: the turn hands all three instances on to the queue.
        account.Latency = TimeSpan.FromSeconds(1);
        var env = new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" };
        var speaker = new SkillDriver(account.Services(), time: account.Clock, environment: env);
        await speaker.SayAsync(IsolateProd());
        var yes = await speaker.SayAsync(IsolateProd().Confirmation("CONFIRMED"));
        Assert.Contains("in the background", yes.Speech, StringComparison.Ordinal);

        // Another device, another session (a container with no memory of the first), sharing the account's table.
        var other = new SkillDriver(account.Services(), time: account.Clock, environment: env);
        var before = await other.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));
        var noted = account.State.Items.Count(i => i.Key.StartsWith(StateKeys.QueuedIsolationPrefix, StringComparison.Ordinal));

        account.Latency = TimeSpan.Zero;
        await account.Queue.DeliverToAsync(other.Host.Dispatcher, CancellationToken.None);
        other.EndSession();
        var after = await other.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.Equal(3, noted);
        Assert.StartsWith("No instances are isolated.", before.Speech, StringComparison.Ordinal);
        Assert.Contains("are still being isolated in the background", before.Speech, StringComparison.Ordinal);
        Assert.All(new[] { "db-1", "web-1", "web-2" }, name => Assert.Contains(name, before.Speech, StringComparison.Ordinal));
        Assert.Contains("3 instances are isolated", after.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("background", after.Speech, StringComparison.Ordinal);
        // Done units take their notes with them.
        Assert.DoesNotContain(account.State.Items, i => i.Key.StartsWith(StateKeys.QueuedIsolationPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueuedIsolations_WhenTheTableFails_SaysNothingAndThrowsNothing()
    {
        var queued = new SecurityAlexa.Isolation.QueuedIsolations(new MissingStateTable(), TimeProvider.System);

        await queued.AddAsync([("i-0a1b2c3d4e5f60001", "web-1")], CancellationToken.None);
        await queued.DoneAsync("i-0a1b2c3d4e5f60001", CancellationToken.None);

        Assert.Empty((await queued.ListAsync(CancellationToken.None)).Instances);
    }
}
