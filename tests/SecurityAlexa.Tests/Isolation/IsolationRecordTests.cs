using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.State;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.State;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>
/// The isolation record in the state table (issue 12 §1, §2, §4; issue 13 §3): written before the first change, the
/// source of truth for release, the list the sweeper works from, and what makes the skill's groups its own.
/// </summary>
public sealed class IsolationRecordTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private const string Db1Eni0 = "eni-0a1b2c3d4e5f64f2a0";
    private const string DbGroup = "sg-0db000000000000a2";

    private static readonly Lang En = SpeechCatalog.LoadEmbedded().For("en-US");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeDynamoDb _dynamo = new();
    private readonly List<string> _order = [];

    private IStateTable Table => new OrderedTable(new DynamoStateTable(() => _dynamo.Client, _dynamo.TableName), _order);

    private InstanceIsolator Isolator(Ec2Network net, IStateTable? table = null)
    {
        net.OnCall = (operation, _) =>
        {
            lock (_order) _order.Add("ec2:" + operation);
            return Task.CompletedTask;
        };
        return new InstanceIsolator(new Ec2IsolationAccount(net.Client), new IsolationOptions(), table ?? Table, _time);
    }

    private IsolationBudget Budget() => new(_time.GetUtcNow() + TimeSpan.FromSeconds(4), _time);

    private IsolationRequest Request() => new("speaker:abc123", "incident 42", _time.GetUtcNow());

    private ReleaseRequest Release(IReadOnlyCollection<string>? fromTags = null) => new("speaker:abc123", _time.GetUtcNow(), fromTags);

    private IReadOnlyDictionary<string, string> Record(string instanceId) => _dynamo.Item(StateKeys.Isolation(instanceId))
        ?? throw new InvalidOperationException("no record of " + instanceId);

    [Fact]
    public async Task Isolate_WritesTheTableRecordBeforeTheFirstChangeAndKeepsEverythingARelaseNeeds()
    {
        var net = Ec2Network.Standard();

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        // The record's first write has finished before any interface or the instance's protection changes.
        var recorded = _order.IndexOf("written:isolation#" + Db1);
        var firstChange = _order.FindIndex(o => o is "ec2:ModifyNetworkInterfaceAttribute" or "ec2:ModifyInstanceAttribute");
        Assert.InRange(recorded, 0, firstChange - 1);
        var record = Record(Db1);
        Assert.Equal("isolation", record["kind"]);
        Assert.Equal(IsolationEntry.Isolated, record["state"]);
        Assert.Contains($"\"id\":\"{Db1Eni0}\",\"groups\":[\"{DbGroup}\"]", record["interfaces"], StringComparison.Ordinal);
        Assert.Contains("\"allowAllSince\":", record["interfaces"], StringComparison.Ordinal);
        Assert.Equal("false", record["terminationProtectionBefore"]);
        Assert.Equal("speaker:abc123", record["isolatedBy"]);
        Assert.Equal("incident 42", record["reason"]);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), record["isolatedAt"]);
        var groups = record["createdGroups"].Split(' ');
        Assert.Contains(net.SkillGroup(IsolationRecord.IsolationRole)!.Id, groups);
        Assert.Contains(net.SkillGroup(IsolationRecord.AllowAllRole)!.Id, groups);
        // Begun, then isolated as the interface entered the allow-all group (alongside its move on): two versioned writes.
        Assert.Equal("2", record["version"]);
        Assert.DoesNotContain("expiresAt", record.Keys);
    }

    [Fact]
    public async Task Isolate_WhenTheTableRefusesTheWrite_ChangesNothingOnTheInstance()
    {
        var net = Ec2Network.Standard();
        _dynamo.FailNext("UpdateItem", FakeDynamoDb.ServiceError("AccessDeniedException", System.Net.HttpStatusCode.BadRequest), "isolation#");

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Failed, report.Instances.Single().Outcome);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Operation is "ModifyNetworkInterfaceAttribute" or "ModifyInstanceAttribute");
        Assert.Equal([DbGroup], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task Isolate_WithoutAStateTableInLambda_FailsClosedAndChangesNothing()
    {
        var net = Ec2Network.Standard();

        var report = await Isolator(net, new MissingStateTable()).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Failed, report.Instances.Single().Outcome);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task Release_WhenTheTagsDisagreeWithTheTable_RestoresTheTablesOriginalsSaysSoAndPostsIt()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        // Someone with ec2:CreateTags rewrites the mirror to an open group of their own.
        net.AddGroup("sg-0evil0000000000e1", "wide-open", Ec2Network.Vpc);
        net.Interfaces[Db1Eni0].Tags[IsolationRecord.OriginalGroups] = "sg-0evil0000000000e1";

        var report = await isolator.ReleaseAsync([Db1], Release(), CancellationToken.None);

        var result = report.Instances.Single();
        Assert.Equal(ReleaseOutcome.Released, result.Outcome);
        Assert.Equal([DbGroup], net.Interfaces[Db1Eni0].Groups);
        Assert.Equal([Db1Eni0], result.TagsDisagreeing);
        Assert.Contains("named other original security groups than my state table", IsolationSpeech.Released(En, report).Text,
            StringComparison.Ordinal);
        Assert.Contains("WARNING: the tags on db-1", IsolationSpeech.ReleaseChat(En, report, "by voice") ?? "", StringComparison.Ordinal);
        Assert.Equal(IsolationEntry.Released, Record(Db1)["state"]);
    }

    [Fact]
    public async Task Release_WhenOnlyTheTagsRemember_RestoresFromThemOnlyWhenTheReadBackSaidSo()
    {
        var net = Ec2Network.Standard();
        // Isolated by an older version of the skill: its tags hold the record, the table does not.
        await Isolator(net, new InMemoryStateTable()).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        var isolator = Isolator(net);
        var before = net.MutatingCalls.Count;

        var refused = await isolator.ReleaseAsync([Db1], Release(), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.NoRecord, refused.Instances.Single().Outcome);
        Assert.Equal(before, net.MutatingCalls.Count);

        var released = await isolator.ReleaseAsync([Db1], Release(fromTags: [Db1]), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.Released, released.Instances.Single().Outcome);
        Assert.True(released.Instances.Single().FromTags);
        Assert.Equal([DbGroup], net.Interfaces[Db1Eni0].Groups);
        Assert.Contains("restored it from the instance's tags", IsolationSpeech.Released(En, released).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Isolate_WhenAGroupHasTheSkillsNameAndRoleTagButTheTableNeverRecordedIt_DoesNotAdoptIt()
    {
        var net = Ec2Network.Standard();
        // Pre-created by someone else, with the predictable name and the role tag, and no rules (yet).
        var planted = net.AddGroup("sg-0bad0000000000b01", IsolationRecord.GroupName(IsolationRecord.IsolationRole, Ec2Network.Vpc),
            Ec2Network.Vpc, SkillTags.GroupRole + "=" + IsolationRecord.IsolationRole);
        planted.Egress.Clear();

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.NotEqual(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        Assert.DoesNotContain(net.Interfaces.Values, e => e.Groups.Contains(planted.Id));
        Assert.DoesNotContain(net.MutatingCalls, c => c.Operation == "ModifyNetworkInterfaceAttribute");
        Assert.Equal([DbGroup], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task Isolate_IsolatedAtTagWithoutARecord_IsNotTakenAsIsolatedByThisSkill()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags[SkillTags.IsolatedAt] = "2026-11-01T00:00:00Z";

        var whole = await Isolator(net).FullyIsolatedAsync([Db1], CancellationToken.None);
        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Empty(whole);
        Assert.Equal(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task Sweeper_WhenAnInterfaceWasLeftInTheAllowAllGroup_MovesItOnAfterAMinuteAndPostsToChat()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        var allowAll = net.SkillGroup(IsolationRecord.AllowAllRole)!.Id;
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        // The second move fails, and so does the move back: db-1's interface is left open, and the turn ends.
        net.Fail("ModifyNetworkInterfaceAttribute", when: r => r is ModifyNetworkInterfaceAttributeRequest m && !m.Groups.Contains(allowAll));
        var turn = await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        Assert.Equal(InterfaceOutcome.LeftOpen, turn.Instances.Single().Interfaces.Single().Outcome);
        net.Heal();
        var chat = new RecordingChat();
        var sweeper = new IsolationSweeper(isolator, chat, new SkillLog(new MemoryLogSink(), _time), _time, En);

        var early = await sweeper.RunAsync(_time.GetUtcNow() + TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("nothing-to-do", early.Status);
        Assert.Equal([allowAll], net.Interfaces[Db1Eni0].Groups);

        _time.Advance(TimeSpan.FromSeconds(61));
        var swept = await sweeper.RunAsync(_time.GetUtcNow() + TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("swept", swept.Status);
        Assert.Equal([isolation], net.Interfaces[Db1Eni0].Groups);
        Assert.Equal(IsolationEntry.Isolated, Record(Db1)["state"]);
        Assert.Contains(chat.Posts, p => p.Contains("sweeper", StringComparison.Ordinal) && p.Contains(Db1, StringComparison.Ordinal));
        // What the release will need is untouched: the originals as the first turn recorded them.
        Assert.Contains($"\"groups\":[\"{DbGroup}\"]", Record(Db1)["interfaces"], StringComparison.Ordinal);
        // web-1 finished long ago and is not touched again.
        Assert.DoesNotContain("i-0a1b2c3d4e5f60001=", swept.Detail ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweeper_WhenARecordIsStuckInIsolatingAfterItsWriterDied_FinishesTheIsolation()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        // A container wrote the record, then died before any interface moved: the record is isolating, with a lease.
        var ledger = new IsolationLedger(Table);
        await ledger.BeginAsync(new IsolationEntry(Db1, IsolationEntry.Isolating, 0, [new RecordedInterface { Id = Db1Eni0, Groups = [DbGroup] }],
            false, "speaker:abc123", _time.GetUtcNow(), "incident 42", [], _time.GetUtcNow(), WorkingUntil: _time.GetUtcNow().AddSeconds(60)),
            _time.GetUtcNow(), CancellationToken.None);
        var sweeper = new IsolationSweeper(isolator, new RecordingChat(), new SkillLog(new MemoryLogSink(), _time), _time, En);

        Assert.Equal("nothing-to-do", (await sweeper.RunAsync(_time.GetUtcNow().AddSeconds(30), CancellationToken.None)).Status);
        _time.Advance(TimeSpan.FromSeconds(61));
        var swept = await sweeper.RunAsync(_time.GetUtcNow().AddSeconds(30), CancellationToken.None);

        Assert.Equal("swept", swept.Status);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces[Db1Eni0].Groups);
        Assert.Equal(IsolationEntry.Isolated, Record(Db1)["state"]);
        Assert.Equal("incident 42", Record(Db1)["reason"]);
    }

    [Fact]
    public async Task Sweeper_WhenTheRecordSaysIsolatedButTheLastMoveNeverHappened_MovesTheInterfaceOnByWhatEc2Says()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        var allowAll = net.SkillGroup(IsolationRecord.AllowAllRole)!.Id;
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        // The container died after the record said isolated and before the move on reached EC2.
        net.Interfaces[Db1Eni0].Groups = [allowAll];
        var chat = new RecordingChat();
        var sweeper = new IsolationSweeper(isolator, chat, new SkillLog(new MemoryLogSink(), _time), _time, En);

        _time.Advance(TimeSpan.FromSeconds(61));
        var swept = await sweeper.RunAsync(_time.GetUtcNow() + TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("swept", swept.Status);
        Assert.Equal([isolation], net.Interfaces[Db1Eni0].Groups);
        Assert.Single(chat.Posts);
        Assert.Contains($"\"groups\":[\"{DbGroup}\"]", Record(Db1)["interfaces"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweeper_WhenEveryIsolationFinished_ChangesNothingAndPostsNothing()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        var chat = new RecordingChat();
        var sweeper = new IsolationSweeper(isolator, chat, new SkillLog(new MemoryLogSink(), _time), _time, En);
        var before = net.MutatingCalls.Count;

        _time.Advance(TimeSpan.FromSeconds(61));
        var swept = await sweeper.RunAsync(_time.GetUtcNow() + TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("nothing-to-do", swept.Status);
        Assert.Equal(before, net.MutatingCalls.Count);
        Assert.Empty(chat.Posts);
    }

    [Fact]
    public async Task IsolateThenReleaseThenIsolate_StartsAFreshIsolationAtAHigherVersion()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        await isolator.ReleaseAsync([Db1], Release(), CancellationToken.None);
        Assert.Equal(IsolationEntry.Released, Record(Db1)["state"]);
        var releasedVersion = long.Parse(Record(Db1)["version"], System.Globalization.CultureInfo.InvariantCulture);

        var again = await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Isolated, again.Instances.Single().Outcome);
        Assert.Equal(IsolationEntry.Isolated, Record(Db1)["state"]);
        Assert.True(long.Parse(Record(Db1)["version"], System.Globalization.CultureInfo.InvariantCulture) > releasedVersion);
        Assert.DoesNotContain("releasedAt", Record(Db1).Keys);
    }

    /// <summary>Notes when each write to the table has finished, in the same list as the EC2 calls as they start.</summary>
    private sealed class OrderedTable(IStateTable inner, List<string> order) : IStateTable
    {
        public Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.GetAsync(key, now, cancellationToken);

        public async Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var done = await inner.PutAsync(item, condition, now, cancellationToken);
            lock (order) order.Add("written:" + item.Key);
            return done;
        }

        public async Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
            CancellationToken cancellationToken)
        {
            var done = await inner.UpdateAsync(key, update, condition, now, cancellationToken);
            lock (order) order.Add("written:" + key);
            return done;
        }

        public Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
            CancellationToken cancellationToken) => inner.ScanAsync(kind, filter, limit, after, now, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
    }
}
