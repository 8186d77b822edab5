using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Isolation;

public sealed class InstanceIsolatorTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string Web2 = "i-0a1b2c3d4e5f60002";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private const string Web1Eni0 = "eni-0a1b2c3d4e5f600010";
    private const string Web1Eni1 = "eni-0a1b2c3d4e5f600011";
    private const string Db1Eni0 = "eni-0a1b2c3d4e5f64f2a0";

    private static readonly string[] GroupSetup = ["CreateSecurityGroup", "RevokeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    private readonly SecurityAlexa.State.InMemoryStateTable _state = new();

    private InstanceIsolator Isolator(Ec2Network net, IsolationOptions? options = null, IWorkQueue? queue = null) =>
        new(new Ec2IsolationAccount(net.Client), options ?? new IsolationOptions(), _state, _time, queue);

    // The groups are the skill's because the table recorded them when the skill created them (issue 13 §3).
    private Task RecordGroupsAsync(string? isolation, string? allowAll) => IsolationTables.RecordGroupsAsync(_state, Ec2Network.Vpc, isolation,
        allowAll, _time.GetUtcNow());

    // Every EC2 call takes this long on the skill's clock (calls side by side are charged one after another).
    private void ChargeEachCall(Ec2Network net, TimeSpan each) => net.OnCall = (_, _) =>
    {
        _time.Advance(each);
        return Task.CompletedTask;
    };

    private IsolationBudget Budget(TimeSpan? left = null) => new(_time.GetUtcNow() + (left ?? TimeSpan.FromSeconds(4)), _time);

    private IsolationRequest Request(string reason = "suspicious outbound traffic") => new("speaker:abc123", reason, _time.GetUtcNow());

    private static List<string> InstanceCalls(Ec2Network net) =>
        net.MutatingCalls.Where(c => !GroupSetup.Contains(c.Operation)).Select(Describe).ToList();

    // "Operation target" for the calls that change something, so call order reads like a runbook.
    private static string Describe((string Operation, Amazon.Runtime.AmazonWebServiceRequest Request) call) => call.Request switch
    {
        CreateTagsRequest r => $"CreateTags {string.Join(",", r.Resources)}",
        DeleteTagsRequest r => $"DeleteTags {string.Join(",", r.Resources)}",
        ModifyNetworkInterfaceAttributeRequest r => $"ModifyNetworkInterfaceAttribute {r.NetworkInterfaceId} {string.Join(" ", r.Groups)}",
        ModifyInstanceAttributeRequest r => $"ModifyInstanceAttribute {r.InstanceId} {r.DisableApiTermination}",
        _ => call.Operation,
    };

    [Fact]
    public async Task IsolateAsync_WhenOneInterface_RecordsFirstThenMovesToAllowAllThenToIsolation()
    {
        var net = Ec2Network.Standard();

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        var allowAll = net.SkillGroup(IsolationRecord.AllowAllRole)!.Id;
        // Both records (instance and interface, written together) before anything moves; allow-all, then isolation;
        // termination protection once the interface is open, alongside its move on to isolation.
        var calls = InstanceCalls(net);
        Assert.Equal(5, calls.Count);
        Assert.Equal([$"CreateTags {Db1Eni0}", $"CreateTags {Db1}"], calls.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal($"ModifyNetworkInterfaceAttribute {Db1Eni0} {allowAll}", calls[2]);
        Assert.Equal([$"ModifyInstanceAttribute {Db1} True", $"ModifyNetworkInterfaceAttribute {Db1Eni0} {isolation}"], calls.Skip(3).Order(StringComparer.Ordinal));
        Assert.Equal(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        Assert.Equal([isolation], net.Interfaces[Db1Eni0].Groups);
        Assert.Equal("sg-0db000000000000a2", net.Interfaces[Db1Eni0].Tags[IsolationRecord.OriginalGroups]);
        Assert.Equal("1", net.Interfaces[Db1Eni0].Tags[IsolationRecord.OriginalGroupCount]);
        var tags = net.Instances[Db1].Tags;
        Assert.Equal("2026-11-29T12:00:00Z", tags[SkillTags.IsolatedAt]);
        Assert.Equal("speaker:abc123", tags[IsolationRecord.IsolatedBy]);
        Assert.Equal("suspicious outbound traffic", tags[IsolationRecord.Reason]);
        Assert.Equal("false", tags[IsolationRecord.TerminationProtectionBefore]);
        Assert.True(net.Instances[Db1].Protected);
    }

    [Fact]
    public async Task IsolateAsync_WhenSeveralInterfaces_RecordsEveryInterfaceBeforeAnyInterfaceMoves()
    {
        var net = Ec2Network.Standard();

        await Isolator(net).IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);

        var calls = InstanceCalls(net);
        var firstMove = calls.FindIndex(c => c.StartsWith("ModifyNetworkInterfaceAttribute", StringComparison.Ordinal));
        Assert.Equal($"CreateTags {Web1}", calls[0]);
        Assert.Contains($"CreateTags {Web1Eni0}", calls.Take(firstMove));
        Assert.Contains($"CreateTags {Web1Eni1}", calls.Take(firstMove));
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        var allowAll = net.SkillGroup(IsolationRecord.AllowAllRole)!.Id;
        foreach (var eni in new[] { Web1Eni0, Web1Eni1 })
        {
            var moves = calls.Where(c => c.StartsWith("ModifyNetworkInterfaceAttribute " + eni, StringComparison.Ordinal)).ToList();
            Assert.Equal([$"ModifyNetworkInterfaceAttribute {eni} {allowAll}", $"ModifyNetworkInterfaceAttribute {eni} {isolation}"], moves);
            Assert.Equal([isolation], net.Interfaces[eni].Groups);
        }
        Assert.Equal("sg-0web00000000000a1 sg-0ssh00000000000a3", net.Interfaces[Web1Eni0].Tags[IsolationRecord.OriginalGroups]);
        Assert.Equal("sg-0web00000000000a1", net.Interfaces[Web1Eni1].Tags[IsolationRecord.OriginalGroups]);
        // ModifyInstanceAttribute Groups fails on instances with several interfaces: it is never used for groups.
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is ModifyInstanceAttributeRequest { Groups.Count: > 0 });
    }

    [Fact]
    public async Task IsolateAsync_WhenTheVpcHasNoIsolationGroup_CreatesOneWithNoRulesAtAll()
    {
        var net = Ec2Network.Standard();

        await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        var create = net.MutatingCalls.Select(c => c.Request).OfType<CreateSecurityGroupRequest>().Single(r => r.GroupName == "SecurityAlexa-isolation-" + Ec2Network.Vpc);
        Assert.Equal(Ec2Network.Vpc, create.VpcId);
        Assert.Contains(create.TagSpecifications.Single().Tags, t => t.Key == SkillTags.GroupRole && t.Value == IsolationRecord.IsolationRole);
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!;
        var revoke = net.MutatingCalls.Select(c => c.Request).OfType<RevokeSecurityGroupEgressRequest>().Single();
        Assert.Equal(isolation.Id, revoke.GroupId);
        Assert.Equal("-1", revoke.IpPermissions.Single().IpProtocol);
        Assert.Equal("0.0.0.0/0", revoke.IpPermissions.Single().Ipv4Ranges.Single().CidrIp);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is AuthorizeSecurityGroupIngressRequest r && r.GroupId == isolation.Id);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is AuthorizeSecurityGroupEgressRequest r && r.GroupId == isolation.Id);
        Assert.Empty(isolation.Ingress);
        Assert.Empty(isolation.Egress);
        // The allow-all group lets everything in and out, IPv4 and IPv6, so that flows become untracked.
        var allowAll = net.SkillGroup(IsolationRecord.AllowAllRole)!;
        var ingress = allowAll.Ingress.Single();
        Assert.Equal("-1", ingress.IpProtocol);
        Assert.Equal("0.0.0.0/0", ingress.Ipv4Ranges.Single().CidrIp);
        Assert.Equal("::/0", ingress.Ipv6Ranges.Single().CidrIpv6);
        Assert.Contains(allowAll.Egress, e => e.Ipv6Ranges?.SingleOrDefault()?.CidrIpv6 == "::/0");
    }

    [Fact]
    public async Task IsolateAsync_WhenTheSkillGroupsExist_UsesThemWithoutCreatingAny()
    {
        var net = Ec2Network.Standard();
        var isolation = net.AddGroup("sg-0iso0000000000001", "SecurityAlexa-isolation-" + Ec2Network.Vpc, Ec2Network.Vpc, "SecurityAlexa:GroupRole=isolation");
        isolation.Egress.Clear();
        net.AddGroup("sg-0all0000000000001", "SecurityAlexa-allow-all-" + Ec2Network.Vpc, Ec2Network.Vpc, "SecurityAlexa:GroupRole=allow-all")
            .Ingress.Add(new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] });
        await RecordGroupsAsync("sg-0iso0000000000001", "sg-0all0000000000001");

        await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.DoesNotContain(net.Operations, o => GroupSetup.Contains(o));
        Assert.Equal(["sg-0iso0000000000001"], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheIsolationGroupHasGainedRules_RefusesToUseIt()
    {
        var net = Ec2Network.Standard();
        var isolation = net.AddGroup("sg-0iso0000000000001", "SecurityAlexa-isolation-" + Ec2Network.Vpc, Ec2Network.Vpc, "SecurityAlexa:GroupRole=isolation");
        isolation.Ingress.Add(new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }] });
        await RecordGroupsAsync("sg-0iso0000000000001", null);

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        var result = report.Instances.Single();
        Assert.Equal(IsolationOutcome.Failed, result.Outcome);
        Assert.Equal("sg-0iso0000000000001", result.UnsafeGroupId);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Operation is "ModifyNetworkInterfaceAttribute" or "CreateTags");
        Assert.Equal(["sg-0db000000000000a2"], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task IsolateAsync_WhenAlreadyIsolated_SaysSoAndChangesNothing()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        var recorded = net.Interfaces[Web1Eni0].Tags.ToDictionary();
        var before = net.MutatingCalls.Count;

        var again = await isolator.IsolateAsync([Web1], Request("another reason"), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.AlreadyIsolated, again.Instances.Single().Outcome);
        Assert.Equal(before, net.MutatingCalls.Count);
        Assert.Equal(recorded, net.Interfaces[Web1Eni0].Tags);
        Assert.Equal("suspicious outbound traffic", net.Instances[Web1].Tags[IsolationRecord.Reason]);
    }

    [Fact]
    public async Task IsolateTwiceThenRelease_RestoresEveryOriginalGroupAndProtection()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        var originals = net.GroupsOf(Web1);

        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        var released = await isolator.ReleaseAsync([Web1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow().AddHours(1)), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.Released, released.Instances.Single().Outcome);
        Assert.Equal(originals, net.GroupsOf(Web1));
        Assert.False(net.Instances[Web1].Protected);
        Assert.DoesNotContain(net.Interfaces.Values.SelectMany(e => e.Tags.Keys), k => k.StartsWith(SkillTags.Prefix, StringComparison.Ordinal));
        var tags = net.Instances[Web1].Tags;
        Assert.Equal("2026-11-29T13:00:00Z", tags[SkillTags.ReleasedAt]);
        Assert.DoesNotContain(SkillTags.IsolatedAt, tags.Keys);
        Assert.DoesNotContain(IsolationRecord.TerminationProtectionBefore, tags.Keys);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheSecondInterfaceFails_ReportsItAndARetryFinishesWithoutTouchingTheFirst()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        net.Fail("ModifyNetworkInterfaceAttribute", when: r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == Web1Eni1);

        var first = await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);

        var result = first.Instances.Single();
        Assert.Equal(IsolationOutcome.Partial, result.Outcome);
        Assert.Equal(InterfaceOutcome.Isolated, result.Interfaces[0].Outcome);
        Assert.Equal(InterfaceOutcome.Unchanged, result.Interfaces[1].Outcome);
        Assert.Equal(AwsOperations.Ec2ModifyNetworkInterfaceAttribute, result.Interfaces[1].Error!.Operation);
        Assert.Equal(["sg-0web00000000000a1"], net.Interfaces[Web1Eni1].Groups);
        Assert.Equal("sg-0web00000000000a1", net.Interfaces[Web1Eni1].Tags[IsolationRecord.OriginalGroups]);

        net.Heal();
        var callsBefore = net.MutatingCalls.Count;
        var retry = await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Isolated, retry.Instances.Single().Outcome);
        var retryCalls = net.MutatingCalls.Skip(callsBefore).Select(Describe).ToList();
        Assert.DoesNotContain(retryCalls, c => c.Contains(Web1Eni0, StringComparison.Ordinal));
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        Assert.Equal([[isolation], [isolation]], net.GroupsOf(Web1));
        Assert.Equal("sg-0web00000000000a1 sg-0ssh00000000000a3", net.Interfaces[Web1Eni0].Tags[IsolationRecord.OriginalGroups]);
        Assert.Equal("sg-0web00000000000a1", net.Interfaces[Web1Eni1].Tags[IsolationRecord.OriginalGroups]);
    }

    [Fact]
    public async Task ReleaseAsync_AfterAPartialIsolation_RestoresWhatWasMovedAndClearsTheRecord()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        var originals = net.GroupsOf(Web1);
        net.Fail("ModifyNetworkInterfaceAttribute", when: r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == Web1Eni1);
        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        net.Heal();
        var before = net.MutatingCalls.Count;

        var released = await isolator.ReleaseAsync([Web1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        var result = released.Instances.Single();
        Assert.Equal(ReleaseOutcome.Released, result.Outcome);
        Assert.Equal(InterfaceReleaseOutcome.Restored, result.Interfaces[0].Outcome);
        Assert.Equal(InterfaceReleaseOutcome.NothingToRestore, result.Interfaces[1].Outcome);
        Assert.Equal(originals, net.GroupsOf(Web1));
        // The interface that never moved is not moved on release either.
        Assert.DoesNotContain(net.MutatingCalls.Skip(before), c => c.Request is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == Web1Eni1);
        Assert.Empty(net.Interfaces[Web1Eni1].Tags);
        Assert.DoesNotContain(SkillTags.IsolatedAt, net.Instances[Web1].Tags.Keys);
    }

    [Fact]
    public async Task IsolateAsync_WhenRecordingAnInterfaceFails_NeverMovesThatInterface()
    {
        var net = Ec2Network.Standard();
        net.Fail("CreateTags", when: r => r is CreateTagsRequest c && c.Resources.Contains(Web1Eni1));

        var report = await Isolator(net).IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Partial, report.Instances.Single().Outcome);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == Web1Eni1);
        Assert.Equal(["sg-0web00000000000a1"], net.Interfaces[Web1Eni1].Groups);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheMoveToIsolationFails_MovesTheInterfaceBackInsteadOfLeavingItOpen()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        // Groups exist first, so that the failure can target the isolation group by id.
        await isolator.IsolateAsync([Web2], Request(), Budget(), CancellationToken.None);
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        net.Fail("ModifyNetworkInterfaceAttribute", when: r => r is ModifyNetworkInterfaceAttributeRequest m && m.Groups.Contains(isolation));

        var report = await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        var eni = report.Instances.Single().Interfaces.Single();
        Assert.Equal(InterfaceOutcome.Unchanged, eni.Outcome);
        Assert.Equal(["sg-0db000000000000a2"], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task IsolateAsync_WhenNeitherTheMoveOnNorBackWorks_ReportsTheInterfaceAsOpen()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Web2], Request(), Budget(), CancellationToken.None);
        var allowAll = net.SkillGroup(IsolationRecord.AllowAllRole)!.Id;
        net.Fail("ModifyNetworkInterfaceAttribute", when: r => r is ModifyNetworkInterfaceAttributeRequest m && !m.Groups.Contains(allowAll));

        var report = await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(InterfaceOutcome.LeftOpen, report.Instances.Single().Interfaces.Single().Outcome);
        Assert.Equal([allowAll], net.Interfaces[Db1Eni0].Groups);
        // The record survives, so that release can still put the original groups back.
        net.Heal();
        await isolator.ReleaseAsync([Db1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);
        Assert.Equal(["sg-0db000000000000a2"], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task ReleaseAsync_WhenThereIsNoRecord_RefusesAndChangesNothing()
    {
        var net = Ec2Network.Standard();

        var report = await Isolator(net).ReleaseAsync([Web2], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.NoRecord, report.Instances.Single().Outcome);
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task ReleaseAsync_WhenARestoreFails_KeepsTheWholeRecordForARetry()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        net.Fail("ModifyNetworkInterfaceAttribute", when: r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == Web1Eni1);

        var first = await isolator.ReleaseAsync([Web1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.Partial, first.Instances.Single().Outcome);
        Assert.Contains(SkillTags.IsolatedAt, net.Instances[Web1].Tags.Keys);
        Assert.Contains(IsolationRecord.OriginalGroups, net.Interfaces[Web1Eni1].Tags.Keys);
        Assert.True(net.Instances[Web1].Protected);

        net.Heal();
        var second = await isolator.ReleaseAsync([Web1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.Released, second.Instances.Single().Outcome);
        Assert.Equal([["sg-0web00000000000a1", "sg-0ssh00000000000a3"], ["sg-0web00000000000a1"]], net.GroupsOf(Web1));
        Assert.False(net.Instances[Web1].Protected);
    }

    [Fact]
    public async Task ReleaseAsync_RemovesTheInterfacesTagMirrorsOnlyOnceEveryInterfaceHasItsGroupsBack()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        var mark = net.MutatingCalls.Count;

        var report = await isolator.ReleaseAsync([Web1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.Released, report.Instances.Single().Outcome);
        var calls = net.MutatingCalls.Skip(mark).Select(Describe).ToList();
        var lastRestore = calls.FindLastIndex(c => c.StartsWith("ModifyNetworkInterfaceAttribute", StringComparison.Ordinal));
        var firstMirror = calls.FindIndex(c => c == $"DeleteTags {Web1Eni0}" || c == $"DeleteTags {Web1Eni1}");
        Assert.InRange(lastRestore, 0, firstMirror - 1);
        Assert.DoesNotContain(IsolationRecord.OriginalGroups, net.Interfaces[Web1Eni0].Tags.Keys);
        Assert.DoesNotContain(IsolationRecord.OriginalGroups, net.Interfaces[Web1Eni1].Tags.Keys);
    }

    [Fact]
    public async Task ReleaseAsync_WhenAnInterfacesTagMirrorCannotBeRemoved_SaysPartlyAndARetryFinishes()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);
        net.Fail("DeleteTags", when: r => r is DeleteTagsRequest d && d.Resources.Contains(Web1Eni1));

        var first = await isolator.ReleaseAsync([Web1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        // Every interface has its groups back; the record stays releasing (not released), so that a retry finishes the tags.
        Assert.Equal(ReleaseOutcome.Partial, first.Instances.Single().Outcome);
        Assert.Equal([["sg-0web00000000000a1", "sg-0ssh00000000000a3"], ["sg-0web00000000000a1"]], net.GroupsOf(Web1));
        Assert.Contains(IsolationRecord.OriginalGroups, net.Interfaces[Web1Eni1].Tags.Keys);
        Assert.Equal(IsolationEntry.Releasing, (await new IsolationLedger(_state).ReadAsync(Web1, _time.GetUtcNow(), CancellationToken.None))!.State);

        net.Heal();
        var second = await isolator.ReleaseAsync([Web1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.Released, second.Instances.Single().Outcome);
        Assert.DoesNotContain(IsolationRecord.OriginalGroups, net.Interfaces[Web1Eni1].Tags.Keys);
        Assert.Equal(IsolationEntry.Released, (await new IsolationLedger(_state).ReadAsync(Web1, _time.GetUtcNow(), CancellationToken.None))!.State);
    }

    [Fact]
    public async Task IsolateAsync_WhenTerminationProtectionWasAlreadyOn_RecordsThatAndReleaseLeavesItOn()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Protected = true;
        var isolator = Isolator(net);

        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal("true", net.Instances[Db1].Tags[IsolationRecord.TerminationProtectionBefore]);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Operation == "ModifyInstanceAttribute");
        await isolator.ReleaseAsync([Db1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);
        Assert.True(net.Instances[Db1].Protected);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Operation == "ModifyInstanceAttribute");
    }

    [Fact]
    public async Task IsolateAsync_WithSnapshotsOn_SnapshotsAllVolumesInOneCallOncePerIsolation()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net, new IsolationOptions { SnapshotOnIsolate = true });

        var report = await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        var snapshot = net.MutatingCalls.Select(c => c.Request).OfType<CreateSnapshotsRequest>().Single();
        Assert.Equal(Db1, snapshot.InstanceSpecification.InstanceId);
        Assert.False(snapshot.InstanceSpecification.ExcludeBootVolume);
        Assert.Contains(snapshot.TagSpecifications.Single().Tags, t => t.Key == IsolationRecord.SnapshotOf && t.Value == Db1);
        Assert.Single(report.Instances.Single().SnapshotIds);
    }

    [Fact]
    public async Task IsolateAsync_WhenNoTimeIsLeft_EnqueuesOneUnitPerInstanceAndChangesNothingInTheAccount()
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue();

        var report = await Isolator(net, queue: queue).IsolateAsync([Web1, Db1], Request(), Budget(TimeSpan.FromSeconds(-1)),
            CancellationToken.None);

        Assert.True(report.Continuing);
        Assert.All(report.Instances, i => Assert.Equal(IsolationOutcome.Deferred, i.Outcome));
        // No re-tagging: nothing in the account changes, not even a tag.
        Assert.Empty(net.MutatingCalls);
        Assert.All(queue.Items, i => Assert.Equal("isolate-instance", i.Kind));
        var units = queue.Items.Select(i => System.Text.Json.Nodes.JsonNode.Parse(i.Payload)!).ToList();
        Assert.Equal([Web1, Db1], units.Select(u => (string?)u["instanceId"]));
        Assert.All(units, u => Assert.Equal(Request().RequestedBy, (string?)u["requestedBy"]));
    }

    [Fact]
    public async Task IsolateAsync_WhenNoTimeIsLeftAndThereIsNoQueue_SaysSoAndChangesNothing()
    {
        var net = Ec2Network.Standard();

        var report = await Isolator(net).IsolateAsync([Web1, Db1], Request(), Budget(TimeSpan.FromSeconds(-1)), CancellationToken.None);

        Assert.False(report.Continuing);
        Assert.Null(report.ContinuationError);
        Assert.All(report.Instances, i => Assert.Equal(IsolationOutcome.Deferred, i.Outcome));
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheQueueRefuses_ReportsTheErrorAndChangesNothing()
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue { Fails = true };

        var report = await Isolator(net, queue: queue).IsolateAsync([Db1], Request(), Budget(TimeSpan.FromSeconds(-1)),
            CancellationToken.None);

        Assert.False(report.Continuing);
        Assert.Equal("sqs:SendMessage", report.ContinuationError?.Operation);
        Assert.Empty(net.MutatingCalls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IsolateAsync_AtAFewHundredMillisecondsACall_CountsTheGroupsOnlyWhenTheirReadBesideTheDescribeDidNotFindThemReady(
        bool vpcHint)
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue();
        var isolator = Isolator(net, queue: queue);
        // An earlier isolation made the VPC's groups.
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        ChargeEachCall(net, TimeSpan.FromMilliseconds(250));

        // With the hint, the instance, its interfaces, protection and the groups are read side by side (1 s on this clock,
        // which charges each call), and 4 more such round trips (web-1 has two interfaces, so its record is written twice
        // after the moves) fit in the 5.5 s; without it, 4 calls for the groups are counted too (0.75 s + 8 x 0.75 s).
        // Before issue 18's count, 9 were (10 s).
        var report = await isolator.IsolateAsync([Web1], Request() with { VpcHint = vpcHint ? [Ec2Network.Vpc] : null },
            Budget(TimeSpan.FromSeconds(5.5)), CancellationToken.None);

        var web1 = report.Instances.Single();
        Assert.Equal(vpcHint ? IsolationOutcome.Isolated : IsolationOutcome.Deferred, web1.Outcome);
        Assert.Equal(vpcHint ? 0 : 1, queue.Items.Count);
        Assert.Equal(vpcHint, net.Interfaces[Web1Eni0].Groups.SequenceEqual([net.SkillGroup(IsolationRecord.IsolationRole)!.Id]));
    }

    [Theory]
    [InlineData(Db1, "Isolated")]
    [InlineData(Web1, "Deferred")]
    public async Task IsolateAsync_CountsTheRecordsSecondWriteForAnInstanceWithSeveralInterfaces(string instance, string expected)
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue();
        var isolator = Isolator(net, queue: queue);
        await isolator.IsolateAsync([Web2], Request(), Budget(), CancellationToken.None);
        ChargeEachCall(net, TimeSpan.FromMilliseconds(250));

        // 1 s of reads side by side, then 3 round trips for db-1 (one interface) fit in 4.5 s; web-1's two interfaces mark their
        // moves in two writes of the record, one after the other (RecordWriter), which is one round trip more than fits.
        var report = await isolator.IsolateAsync([instance], Request() with { VpcHint = [Ec2Network.Vpc] }, Budget(TimeSpan.FromSeconds(4.5)),
            CancellationToken.None);

        Assert.Equal(expected, report.Instances.Single().Outcome.ToString());
    }

    [Fact]
    public async Task IsolateAsync_WhenAwsIsSlow_StartsOnlyWhatFitsAndHandsTheRestOn()
    {
        var net = Ec2Network.Standard();
        // Every call takes two seconds of the skill's clock; a turn has four.
        ChargeEachCall(net, TimeSpan.FromSeconds(2));

        var queue = new RecordingWorkQueue();
        var report = await Isolator(net, queue: queue).IsolateAsync([Web1, Web2, Db1], Request(), Budget(), CancellationToken.None);

        Assert.True(report.Continuing);
        Assert.Equal(3, queue.Items.Count);
        Assert.All(report.Instances, i => Assert.Equal(IsolationOutcome.Deferred, i.Outcome));
        Assert.DoesNotContain(net.MutatingCalls, c => c.Operation == "ModifyNetworkInterfaceAttribute");
    }

    // Every DescribeInstances takes 200 ms of the skill's clock: the measured round trip. A turn has 4 s.
    private (Ec2Network Net, SecurityAlexa.Sandbox.SandboxContainment Aws, InstanceIsolator Isolator, RecordingWorkQueue Queue) WithContainment(
        bool withQueue = true)
    {
        var net = Ec2Network.Standard();
        net.OnCall = (operation, _) =>
        {
            if (operation == "DescribeInstances") _time.Advance(TimeSpan.FromMilliseconds(200));
            return Task.CompletedTask;
        };
        var aws = new SecurityAlexa.Sandbox.SandboxContainment(new SecurityAlexa.Sandbox.SandboxWorld());
        var steps = new SecurityAlexa.Isolation.Containment.ContainmentSteps(new(aws, aws, aws, aws), _state,
            new SecurityAlexa.Isolation.Containment.ContainmentOptions(), _time);
        var queue = new RecordingWorkQueue();
        return (net, aws, new InstanceIsolator(new Ec2IsolationAccount(net.Client), new IsolationOptions(), _state, _time, withQueue ? queue : null,
            steps), queue);
    }

    [Fact]
    public async Task IsolateAsync_WhenContainmentWasNotRead_CountsEveryContainmentStepAndHandsOnWhatWouldNotFit()
    {
        // 3 calls for the swap and 3 for the groups fit in 3.5 s at 200 ms; with every containment step (17 more, capped at
        // containment's 2.5 s limit) they do not.
        var (net, aws, isolator, queue) = WithContainment();

        var report = await isolator.IsolateAsync([Db1], Request(), Budget(TimeSpan.FromSeconds(3.5)), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Deferred, report.Instances.Single().Outcome);
        Assert.True(report.Continuing);
        Assert.Single(queue.Items);
        Assert.Empty(net.MutatingCalls);
        Assert.Empty(aws.Changes);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheReadBackPlannedFewContainmentCalls_CountsOnlyThoseAndIsolatesInTheTurn()
    {
        // db-1 is in no Auto Scaling or target group: the read-back's plan was its reads and the volumes' step (8 calls).
        var (net, aws, isolator, queue) = WithContainment();

        var report = await isolator.IsolateAsync([Db1], Request() with { ContainmentRoundTrips = 8 }, Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        Assert.Empty(queue.Items);
        Assert.Equal(["ec2:ModifyInstanceAttribute " + Db1], aws.Changes);
        Assert.Contains(net.MutatingCalls, c => c.Operation == "ModifyNetworkInterfaceAttribute");
    }

    [Fact]
    public async Task IsolateAsync_WhenNothingCanBeHandedOn_DoesNotHoldTheSwapBackForContainment()
    {
        // A queued unit or the sweeper cannot hand on: the swap that fits goes ahead, with containment given what is left.
        var (net, aws, isolator, _) = WithContainment(withQueue: false);

        var report = await isolator.IsolateAsync([Web1], Request(), Budget(), CancellationToken.None);

        var web1 = report.Instances.Single();
        Assert.Equal(IsolationOutcome.Isolated, web1.Outcome);
        Assert.Contains(net.MutatingCalls, c => c.Operation == "ModifyNetworkInterfaceAttribute");
        Assert.Contains("autoscaling:EnterStandby " + Web1, aws.Changes);
    }

    [Fact]
    public void ContainmentPlan_RoundTrips_CountsTheReadsAndThreeCallsPerStep()
    {
        Assert.Equal(5, new SecurityAlexa.Isolation.Containment.ContainmentPlan("i-1", Known: true).RoundTrips);
        Assert.Equal(8, new SecurityAlexa.Isolation.Containment.ContainmentPlan("i-1", Known: true, Volumes: 2).RoundTrips);
        Assert.Equal(17, new SecurityAlexa.Isolation.Containment.ContainmentPlan("i-1", Known: true, ScaleInProtection: true, Standby: true,
            TargetGroups: 2, Volumes: 1).RoundTrips);
        Assert.Equal(21, new SecurityAlexa.Isolation.Containment.ContainmentPlan("i-1", Known: true, ScaleInProtection: true, Standby: true,
            TargetGroups: 2, Volumes: 1, RevokeSessions: true).RoundTrips);
        // Not read: every step is assumed.
        Assert.Equal(17, new SecurityAlexa.Isolation.Containment.ContainmentPlan("i-1", Known: false).RoundTrips);
        Assert.Equal(21, new SecurityAlexa.Isolation.Containment.ContainmentPlan("i-1", Known: false, RevokeSessions: true).RoundTrips);
    }

    [Fact]
    public async Task IsolateAsync_WithManyInstances_WorksOnThemInParallelButNeverAboveTheLimit()
    {
        var net = new Ec2Network();
        net.AddGroup("sg-0web00000000000a1", "web", Ec2Network.Vpc);
        var ids = Enumerable.Range(1, 20).Select(n => $"i-0f{n:D15}").ToList();
        foreach (var id in ids) net.AddInstance(id, "node-" + id[^2..], ["sg-0web00000000000a1"]);
        var inFlight = 0;
        var most = 0;
        var fourIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        net.OnCall = async (operation, _) =>
        {
            if (operation != "DescribeInstanceAttribute") return;
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            if (now == 4) fourIn.TrySetResult();
            // Each instance's first own call is held until the test has looked.
            await release.Task;
            Interlocked.Decrement(ref inFlight);
        };

        var running = Isolator(net, new IsolationOptions { Parallelism = 4 }).IsolateAsync(ids, Request(), Budget(), CancellationToken.None);
        await fourIn.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var heldAtOnce = Volatile.Read(ref most);
        release.SetResult();
        var report = await running;

        Assert.Equal(4, heldAtOnce);
        Assert.Equal(4, most);
        Assert.All(report.Instances, i => Assert.Equal(IsolationOutcome.Isolated, i.Outcome));
    }

    [Fact]
    public async Task IsolateAsync_WithARequiredTag_LeavesInstancesWithoutItAlone()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var request = Request() with { RequiredTag = new TagSelector("SecurityAlexa:Isolate", "true") };

        var report = await Isolator(net).IsolateAsync([Db1, Web2], request, Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Isolated, report.Instances[0].Outcome);
        Assert.Equal(IsolationOutcome.NotRequested, report.Instances[1].Outcome);
        Assert.DoesNotContain(net.MutatingCalls, c => c.Request is CreateTagsRequest t && t.Resources.Contains(Web2));
    }

    [Fact]
    public async Task ReleaseAsync_RemovesTheTriggerTagOnlyWhenItHasTheTriggerValue()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        await isolator.ReleaseAsync([Db1], new ReleaseRequest("speaker:abc123", _time.GetUtcNow()), CancellationToken.None);

        var delete = net.MutatingCalls.Select(c => c.Request).OfType<DeleteTagsRequest>().Single(d => d.Resources.Contains(Db1));
        Assert.Contains(delete.Tags, t => t.Key == "SecurityAlexa:Isolate" && t.Value == "true");
        Assert.Contains(delete.Tags, t => t.Key == SkillTags.IsolatedAt && t.Value is null);
        Assert.DoesNotContain("SecurityAlexa:Isolate", net.Instances[Db1].Tags.Keys);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
