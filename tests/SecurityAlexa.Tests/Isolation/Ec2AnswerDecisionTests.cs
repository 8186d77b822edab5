using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>
/// The adapter reports terminated instances and rules already there or gone; what isolation and release make of that is
/// decided in Isolation/, and checked here: a terminated instance is left alone and named with the reason, and a rule
/// EC2 says is already as wanted does not stop an isolation.
/// </summary>
public sealed class Ec2AnswerDecisionTests
{
    private const string Web2 = "i-0a1b2c3d4e5f60002";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private const string Db1Eni0 = "eni-0a1b2c3d4e5f64f2a0";

    private static readonly Lang En = SpeechCatalog.LoadEmbedded().For("en-US");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly SecurityAlexa.State.InMemoryStateTable _state = new();

    private InstanceIsolator Isolator(Ec2Network net) => new(new Ec2IsolationAccount(net.Client), new IsolationOptions(), _state, _time);

    private IsolationBudget Budget() => new(_time.GetUtcNow() + TimeSpan.FromSeconds(4), _time);

    private IsolationRequest Request() => new("speaker:abc123", "suspicious outbound traffic", _time.GetUtcNow());

    private ReleaseRequest Release() => new("speaker:abc123", _time.GetUtcNow());

    private static bool Names(Amazon.Runtime.AmazonWebServiceRequest request, string instanceId, string eniId) => request switch
    {
        CreateTagsRequest r => r.Resources.Contains(instanceId) || r.Resources.Contains(eniId),
        DeleteTagsRequest r => r.Resources.Contains(instanceId) || r.Resources.Contains(eniId),
        ModifyNetworkInterfaceAttributeRequest r => r.NetworkInterfaceId == eniId,
        ModifyInstanceAttributeRequest r => r.InstanceId == instanceId,
        CreateSnapshotsRequest r => r.InstanceSpecification.InstanceId == instanceId,
        _ => false,
    };

    [Fact]
    public async Task IsolateAsync_WhenOneInstanceIsTerminated_LeavesItAloneIsolatesTheOtherAndSaysWhy()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].State = "terminated";

        var report = await Isolator(net).IsolateAsync([Db1, Web2], Request(), Budget(), CancellationToken.None);

        Assert.Equal([IsolationOutcome.Terminated, IsolationOutcome.Isolated], report.Instances.Select(i => i.Outcome));
        Assert.DoesNotContain(net.MutatingCalls, c => Names(c.Request, Db1, Db1Eni0));
        Assert.Equal(["sg-0db000000000000a2"], net.Interfaces[Db1Eni0].Groups);
        Assert.DoesNotContain(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
        Assert.Contains("db-1 is terminated, so there was nothing to isolate and I skipped it.",
            IsolationSpeech.Isolated(En, report, _time.GetUtcNow()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheOnlyInstanceIsTerminated_ChangesNothingAtAll()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].State = "terminated";

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Terminated, report.Instances.Single().Outcome);
        // Not even the VPC's groups are created for it.
        Assert.Empty(net.MutatingCalls);
        var said = IsolationSpeech.Isolated(En, report, _time.GetUtcNow()).Text;
        Assert.Contains("db-1 is terminated", said, StringComparison.Ordinal);
        Assert.DoesNotContain("isolated db-1", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IsolateAsync_WhenAnInstanceIsShuttingDown_StillIsolatesIt()
    {
        // Until it is gone it still has interfaces that can carry traffic.
        var net = Ec2Network.Standard();
        net.Instances[Db1].State = "shutting-down";

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task ReleaseAsync_WhenTheIsolatedInstanceIsNowTerminated_ReportsItGoneAndChangesNothing()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);
        net.Instances[Db1].State = "terminated";
        var before = net.MutatingCalls.Count;

        var report = await isolator.ReleaseAsync([Db1], Release(), CancellationToken.None);

        Assert.Equal(ReleaseOutcome.NotFound, report.Instances.Single().Outcome);
        Assert.Equal(before, net.MutatingCalls.Count);
        Assert.Contains(Db1, IsolationSpeech.Released(En, report).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListIsolatedAsync_WhenAMarkedInstanceIsTerminated_LeavesItOut()
    {
        var net = Ec2Network.Standard();
        var isolator = Isolator(net);
        await isolator.IsolateAsync([Db1, Web2], Request(), Budget(), CancellationToken.None);
        net.Instances[Db1].State = "terminated";

        var listed = await isolator.ListIsolatedAsync(CancellationToken.None);

        Assert.Equal([Web2], listed.Select(s => s.InstanceId));
        Assert.Empty(await isolator.DescribeAsync([Db1], CancellationToken.None));
        Assert.Equal([Web2], await isolator.FullyIsolatedAsync([Db1, Web2], CancellationToken.None));
    }

    [Fact]
    public async Task IsolateAsync_WhenTheNewGroupsDefaultEgressIsAlreadyGone_StillIsolates()
    {
        var net = Ec2Network.Standard();
        net.Fail("RevokeSecurityGroupEgress", "InvalidPermission.NotFound");

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        var result = report.Instances.Single();
        Assert.Equal(IsolationOutcome.Isolated, result.Outcome);
        Assert.Empty(result.Errors);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces[Db1Eni0].Groups);
        Assert.Contains("RevokeSecurityGroupEgress", net.Operations);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheAllowAllRulesAreAlreadyThere_StillIsolates()
    {
        var net = Ec2Network.Standard();
        net.Fail("AuthorizeSecurityGroupIngress", "InvalidPermission.Duplicate");
        net.Fail("AuthorizeSecurityGroupEgress", "InvalidPermission.Duplicate");

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.Equal(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces[Db1Eni0].Groups);
    }

    [Fact]
    public async Task IsolateAsync_WhenRevokingTheDefaultEgressIsRefused_MovesNoInterface()
    {
        // Only "already gone" counts as done: an isolation group that may still let traffic out is never used.
        var net = Ec2Network.Standard();
        net.Fail("RevokeSecurityGroupEgress", "UnauthorizedOperation");

        var report = await Isolator(net).IsolateAsync([Db1], Request(), Budget(), CancellationToken.None);

        Assert.NotEqual(IsolationOutcome.Isolated, report.Instances.Single().Outcome);
        Assert.DoesNotContain("ModifyNetworkInterfaceAttribute", net.Operations);
        Assert.Equal(["sg-0db000000000000a2"], net.Interfaces[Db1Eni0].Groups);
    }
}
