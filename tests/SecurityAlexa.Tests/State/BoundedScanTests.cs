using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.State;

/// <summary>
/// A scan is bounded (a limit, and at most <see cref="DynamoStateTable.MaxScanPages"/> pages): it says when it stopped
/// before the end of the table and where to go on, and every caller says so (status "at least", the sweeper going on in
/// its next run) instead of taking a part for the whole.
/// </summary>
public sealed class BoundedScanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private readonly FakeDynamoDb _dynamo = new();

    public static TheoryData<string> Tables => ["dynamodb", "memory"];

    private IStateTable Table(string kind) =>
        kind == "dynamodb" ? new DynamoStateTable(() => _dynamo.Client, FakeDynamoDb.DefaultTable) : new InMemoryStateTable();

    private static StateItem Item(string key, string kind) =>
        new(key, new Dictionary<string, StateValue> { ["kind"] = StateValue.Of(kind) });

    private static async Task FillAsync(IStateTable table, int count, string prefix, string kind)
    {
        for (var i = 0; i < count; i++)
            await table.PutAsync(Item($"{prefix}{i:D2}", kind), StateCondition.Absent, Now, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task ScanAsync_WithMoreItemsThanTheLimit_SaysSo_AndGoingOnReadsEachItemOnce(string kind)
    {
        var table = Table(kind);
        await FillAsync(table, 5, "queued#i-", "wanted");
        await FillAsync(table, 4, "claim#", "other");
        // Pages of three items: the limit of two stops the scan inside a page as well as at its end.
        _dynamo.ScanPageSize = 3;

        var seen = new List<string>();
        var scans = new List<StateScan>();
        string? after = null;
        do
        {
            var scan = await table.ScanAsync("wanted", null, 2, after, Now, CancellationToken.None);
            scans.Add(scan);
            seen.AddRange(scan.Items.Select(i => i.Key));
            after = scan.Continuation;
        }
        while (after is not null && scans.Count < 10);

        Assert.True(scans[0].More);
        Assert.Equal(2, scans[0].Items.Count);
        Assert.False(scans[^1].More);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"queued#i-{i:D2}"), seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task ScanAsync_WhenTheLimitIsExactlyWhatThereIs_SaysThereIsNoMore(string kind)
    {
        var table = Table(kind);
        await FillAsync(table, 3, "queued#i-", "wanted");

        var scan = await table.ScanAsync("wanted", null, 3, null, Now, CancellationToken.None);

        Assert.Equal(3, scan.Items.Count);
        Assert.False(scan.More);
        Assert.Null(scan.Continuation);
    }

    [Fact]
    public async Task ScanAsync_WhenTenPagesHoldNothingWanted_StopsThere_AndSaysMoreExist()
    {
        var table = Table("dynamodb");
        // Twelve unwanted items first (in the fake's key order), then the one wanted: one item a page.
        await FillAsync(table, 12, "claim#", "other");
        await table.PutAsync(Item("queued#i-99", "wanted"), StateCondition.Absent, Now, CancellationToken.None);
        _dynamo.ScanPageSize = 1;

        var first = await table.ScanAsync("wanted", null, 5, null, Now, CancellationToken.None);
        var requestsOfFirst = _dynamo.ScanRequests.Count;
        var rest = await table.ScanAsync("wanted", null, 5, first.Continuation, Now, CancellationToken.None);

        // The bound: ten pages, then an empty answer that does not pretend to be the whole table.
        Assert.Equal(DynamoStateTable.MaxScanPages, requestsOfFirst);
        Assert.Empty(first.Items);
        Assert.True(first.More);
        Assert.Equal("claim#09", first.Continuation);
        // Going on starts after the last page read (ExclusiveStartKey) and finds the item.
        Assert.Equal("claim#09", _dynamo.ScanRequests[requestsOfFirst].ExclusiveStartKey["pk"].S);
        Assert.Equal(["queued#i-99"], rest.Items.Select(i => i.Key));
        Assert.False(rest.More);
    }

    [Fact]
    public async Task ScanAsync_WhenTheLimitStopsItInsideAPage_GoesOnAfterTheLastItemTaken()
    {
        var table = Table("dynamodb");
        await FillAsync(table, 4, "queued#i-", "wanted");

        var scan = await table.ScanAsync("wanted", null, 2, null, Now, CancellationToken.None);

        // One page held all four: the two not taken are not lost, the next scan starts after the second.
        Assert.Single(_dynamo.ScanRequests);
        Assert.Equal("queued#i-01", scan.Continuation);
    }

    [Fact]
    public async Task Sweeper_WhenOneRunCannotReadTheWholeTable_SaysSo_AndTheNextRunGoesOnAndFinishesTheIsolation()
    {
        const string db1 = "i-0a1b2c3d4e5f64f2a";
        const string db1Eni0 = "eni-0a1b2c3d4e5f64f2a0";
        var time = new FakeTimeProvider(Now);
        var table = Table("dynamodb");
        var net = Ec2Network.Standard();
        var isolator = new InstanceIsolator(new Ec2IsolationAccount(net.Client), new IsolationOptions(), table, time);
        // Twelve claims sort before the record, one item a page: the first run's ten pages cannot reach it.
        await FillAsync(table, 12, "claim#", "claim");
        await isolator.Ledger.BeginAsync(new IsolationEntry(db1, IsolationEntry.Isolating, 0,
                [new RecordedInterface { Id = db1Eni0, Groups = ["sg-0db000000000000a2"] }], false, "speaker:abc123", Now, "incident 42",
                [],
                Now, WorkingUntil: Now.AddSeconds(60)), Now, CancellationToken.None);
        _dynamo.ScanPageSize = 1;
        time.Advance(TimeSpan.FromSeconds(61));
        var log = new MemoryLogSink();
        var sweeper = new IsolationSweeper(isolator, new RecordingChat(), new SkillLog(log, time), time,
            SpeechCatalog.LoadEmbedded().For("en-US"));
        var groupsBefore = net.Interfaces[db1Eni0].Groups.ToList();

        var first = await sweeper.RunAsync(time.GetUtcNow().AddSeconds(30), CancellationToken.None);
        var cursor = _dynamo.Item(StateKeys.SweepCursor);
        var groupsAfterFirst = net.Interfaces[db1Eni0].Groups.ToList();
        time.Advance(TimeSpan.FromMinutes(5));
        var second = await sweeper.RunAsync(time.GetUtcNow().AddSeconds(30), CancellationToken.None);

        Assert.Equal("nothing-to-do", first.Status);
        Assert.Contains("more records unread, the next run goes on", first.Detail, StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.Contains("\"kind\":\"sweeper.more\"", StringComparison.Ordinal));
        Assert.Equal("claim#09", cursor?["after"]);
        Assert.Equal(groupsBefore, groupsAfterFirst);
        Assert.Equal("swept", second.Status);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces[db1Eni0].Groups);
        // The second run reached the end of the table: the cursor is gone, so the third starts from the top.
        Assert.Null(_dynamo.Item(StateKeys.SweepCursor));
    }

    [Fact]
    public async Task Status_WhenMoreInstancesAreQueuedThanOneScanReads_SaysAtLeast_ThroughTheEntryPoint()
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(Now));
        var queued = new QueuedIsolations(account.State, account.Clock);
        // More notes than status lists (50): instances continuing on the queue, none of them isolated yet.
        await queued.AddAsync(Enumerable.Range(0, 60).Select(i => ($"i-0{i:D16}", $"ghost-{i:D2}")).ToList(), CancellationToken.None);
        var driver = new SkillDriver(account.Services(), time: account.Clock,
            environment: new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" });

        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.Contains("At least 50 instances are still being isolated in the background", status.Speech, StringComparison.Ordinal);
        Assert.Contains("more than I could read", status.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WhenEveryQueuedInstanceWasRead_NamesThemWithoutAtLeast()
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(Now));
        var queued = new QueuedIsolations(account.State, account.Clock);
        await queued.AddAsync([("i-00000000000000001", "ghost-01"), ("i-00000000000000002", "ghost-02")], CancellationToken.None);
        var driver = new SkillDriver(account.Services(), time: account.Clock,
            environment: new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" });

        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.Contains("ghost-01 and ghost-02 are still being isolated in the background", status.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("At least", status.Speech, StringComparison.Ordinal);
    }
}
