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

        var listing = await queued.ListAsync(CancellationToken.None);

        Assert.Empty(listing.Instances);
        Assert.True(listing.Unknown);
    }

    [Theory]
    [InlineData("en-US", "I couldn't check which instances are still being isolated in the background.")]
    [InlineData("ja-JP", "バックグラウンドでまだ隔離中のインスタンスがあるかどうかは、確認できませんでした。")]
    public async Task Status_WhenTheStateTableCannotBeScanned_SaysItCouldNotCheckTheBackgroundWork_AndAnswersTheRest(
        string locale, string couldNotCheck)
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero)));
        var services = account.Services();
        var driver = new SkillDriver(new SecurityAlexa.SkillServices
        {
            Instances = services.Instances, Isolation = services.Isolation, Containment = services.Containment, Chat = services.Chat,
            FlowLogs = services.FlowLogs, TrafficSources = services.TrafficSources, NetworkAcls = services.NetworkAcls,
            Tickets = services.Tickets, Scanner = services.Scanner, Threats = services.Threats, Parameters = services.Parameters,
            CodeHashKey = services.CodeHashKey, Patches = services.Patches, WorkQueue = services.WorkQueue,
            WorkQueueUrl = services.WorkQueueUrl,
            State = new ScanFailingTable(account.State),
        }, time: account.Clock, environment: new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" });
        var request = AlexaRequests.Intent("IsolationStatusIntent");
        request.Request["locale"] = locale;

        var status = await driver.SayAsync(request);

        Assert.Contains(couldNotCheck, status.Speech, StringComparison.Ordinal);
        // The rest is still answered: nothing is isolated in the sandbox.
        Assert.StartsWith(locale == "en-US" ? "No instances are isolated." : "隔離中のインスタンスはありません。", status.Speech,
            StringComparison.Ordinal);
    }

    /// <summary>A state table whose every Scan fails as a throttled DynamoDB would; the rest goes to the table given.</summary>
    private sealed class ScanFailingTable(IStateTable inner) : IStateTable
    {
        public Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.GetAsync(key, now, cancellationToken);

        public Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.PutAsync(item, condition, now, cancellationToken);

        public Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
            CancellationToken cancellationToken) => inner.UpdateAsync(key, update, condition, now, cancellationToken);

        public Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
            CancellationToken cancellationToken) => throw new SecurityAlexa.AwsContract.AwsCallException("dynamodb:Scan",
                SecurityAlexa.AwsContract.AwsFailure.Throttled, "ThrottlingException", System.Net.HttpStatusCode.BadRequest, "Rate exceeded");

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
    }
}
