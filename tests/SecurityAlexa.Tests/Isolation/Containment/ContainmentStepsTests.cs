using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation;
using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Sandbox;
using SecurityAlexa.State;

namespace SecurityAlexa.Tests.Isolation.Containment;

/// <summary>
/// The containment steps over the sandbox account's group, target group, volumes and role, with the in-memory state
/// table: each step recorded before it is taken, idempotent, a failure at any step followed by a retry or a release,
/// and a release that undoes exactly what was recorded.
/// </summary>
public sealed class ContainmentStepsTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private const string Web1Volume = "vol-0a1b2c3d4e5f60001";
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly SandboxContainment _aws;
    private readonly InMemoryStateTable _state = new();
    private readonly SandboxWorld _world = new();

    public ContainmentStepsTests() => _aws = new SandboxContainment(_world);

    private ContainmentSteps Steps(bool revoke = false, ContainmentPorts? ports = null) =>
        new(ports ?? new ContainmentPorts(_aws, _aws, _aws, _aws), _state,
            new ContainmentOptions { RevokeRoleSessions = revoke, TimeLimit = TimeSpan.FromSeconds(2) }, _time);

    private static IsolationSubject Subject(string id = Web1, string name = "web-1") =>
        new(id, name, InstanceRunState.Running, SandboxWorld.ProdVpc, new Dictionary<string, string>(), [], []);

    private Task<ContainmentReport> ContainAsync(ContainmentSteps steps, string id = Web1, string name = "web-1") =>
        steps.ContainAsync(Subject(id, name), Start, Start.AddSeconds(6), CancellationToken.None);

    private async Task<ContainmentRecord?> RecordAsync(string id = Web1)
    {
        var item = await _state.GetAsync(ContainmentLedger.KeyOf(id), _time.GetUtcNow(), CancellationToken.None);
        return item?.Text("record") is { } json
            ? System.Text.Json.JsonSerializer.Deserialize(json, ContainmentJsonContext.Default.ContainmentRecord) : null;
    }

    private static ContainmentOutcome? OutcomeOf(ContainmentReport report, ContainmentAction action) =>
        report.Steps.FirstOrDefault(s => s.Action == action)?.Outcome;

    private void AssertAsBefore()
    {
        Assert.Equal((AutoScalingMember.InService, false), _aws.MemberOf(Web1));
        Assert.Equal(2, _aws.DesiredCapacity);
        Assert.True(_aws.IsRegistered(Web1));
        Assert.True(_aws.DeletesOnTermination(Web1, Web1Volume));
        Assert.Empty(_aws.RolePolicies);
    }

    [Fact]
    public async Task ContainAsync_ProtectsStandsByDeregistersAndKeepsVolumes_InThatOrder()
    {
        var report = await ContainAsync(Steps());

        Assert.Equal([ContainmentAction.ScaleInProtection, ContainmentAction.Standby, ContainmentAction.Deregister, ContainmentAction.KeepVolumes],
            report.Steps.Select(s => s.Action));
        Assert.All(report.Steps, s => Assert.Equal(ContainmentOutcome.Done, s.Outcome));
        Assert.Equal((AutoScalingMember.Standby, true), _aws.MemberOf(Web1));
        Assert.Equal(1, _aws.DesiredCapacity);
        Assert.False(_aws.IsRegistered(Web1));
        Assert.True(_aws.IsRegistered("i-0a1b2c3d4e5f60002"));
        Assert.False(_aws.DeletesOnTermination(Web1, Web1Volume));
        Assert.Equal([
            "autoscaling:SetInstanceProtection " + Web1, "autoscaling:EnterStandby " + Web1,
            "elasticloadbalancing:DeregisterTargets " + Web1, "ec2:ModifyInstanceAttribute " + Web1], _aws.Changes);
        // Role sessions are left alone unless asked for.
        Assert.Empty(_aws.RolePolicies);
        Assert.Equal("web-tg:80", report.Steps.Single(s => s.Action == ContainmentAction.Deregister).Detail);
    }

    [Fact]
    public async Task ContainAsync_RecordsTheOldValuesOfEveryStep()
    {
        await ContainAsync(Steps(revoke: true));

        var record = (await RecordAsync())!;
        Assert.All(record.Steps, s => Assert.Equal(ContainmentStatus.Done, s.Status));
        var protection = record.Steps.Single(s => s.Action == ContainmentAction.ScaleInProtection);
        Assert.Equal(("web-asg", false), (protection.Group, protection.ProtectedBefore));
        Assert.Equal([new TargetRegistration(SandboxContainment.TargetGroupArn, 80)],
            record.Steps.Single(s => s.Action == ContainmentAction.Deregister).Targets);
        Assert.Equal([new VolumeSetting("/dev/xvda", Web1Volume, true)], record.Steps.Single(s => s.Action == ContainmentAction.KeepVolumes).Volumes);
        var revoke = record.Steps.Single(s => s.Action == ContainmentAction.RevokeSessions);
        Assert.Equal((SandboxContainment.RoleName, "SecurityAlexa-RevokeSessions-" + Web1, Start), (revoke.Role, revoke.PolicyName, revoke.IssuedBefore));
    }

    [Fact]
    public async Task ContainAsync_WritesEachStepAsStartedBeforeTakingIt()
    {
        var spy = new RecordCheckingPorts(_aws, _state, _time);
        await ContainAsync(Steps(revoke: true, spy.Ports));

        Assert.Equal(["ScaleInProtection", "Standby", "Deregister", "KeepVolumes", "RevokeSessions"], spy.Checked);
    }

    [Fact]
    public async Task ContainAsync_WhenRevokingSessions_PutsADenyForSessionsIssuedBeforeTheIsolation()
    {
        var report = await ContainAsync(Steps(revoke: true));

        Assert.Equal(ContainmentOutcome.Done, OutcomeOf(report, ContainmentAction.RevokeSessions));
        Assert.Equal(Start, _aws.RolePolicies[(SandboxContainment.RoleName, "SecurityAlexa-RevokeSessions-" + Web1)]);
    }

    [Fact]
    public async Task ContainAsync_Again_CallsNothingAndSaysEveryStepWasDoneEarlier()
    {
        var steps = Steps(revoke: true);
        await ContainAsync(steps);
        var changes = _aws.Changes.Count;

        var again = await ContainAsync(steps);

        Assert.Equal(changes, _aws.Changes.Count);
        Assert.All(again.Steps, s => Assert.Equal(ContainmentOutcome.AlreadyDone, s.Outcome));
        Assert.Equal(5, again.Steps.Count);
    }

    [Fact]
    public async Task ContainAsync_ForAnInstanceInNoGroupAndNoTargetGroup_OnlyKeepsItsVolumes()
    {
        var report = await ContainAsync(Steps(revoke: true), Db1, "db-1");

        Assert.Equal([ContainmentAction.KeepVolumes], report.Steps.Select(s => s.Action));
        Assert.Equal(["ec2:ModifyInstanceAttribute " + Db1], _aws.Changes);
    }

    [Fact]
    public async Task ContainAsync_WhenStandbyIsImpossible_DetachesKeepingTheDesiredCapacity_AndReleaseAttachesItAgain()
    {
        _aws.AtMinimumSize = true;
        var steps = Steps();

        var report = await ContainAsync(steps);

        Assert.Equal(ContainmentOutcome.Failed, OutcomeOf(report, ContainmentAction.Standby));
        Assert.Equal(ContainmentOutcome.Done, OutcomeOf(report, ContainmentAction.Detach));
        Assert.Null(_aws.MemberOf(Web1));
        Assert.Equal(2, _aws.DesiredCapacity);
        Assert.Contains("autoscaling:DetachInstances " + Web1, _aws.Changes);

        var undone = await steps.ReverseAsync(Web1, CancellationToken.None);

        Assert.Contains(undone.Steps, s => s is { Action: ContainmentAction.Detach, Outcome: ContainmentOutcome.Undone });
        Assert.Contains("autoscaling:AttachInstances " + Web1, _aws.Changes);
        Assert.DoesNotContain("autoscaling:ExitStandby " + Web1, _aws.Changes);
        Assert.Equal(AutoScalingMember.InService, _aws.MemberOf(Web1)?.State);
        Assert.Null(await RecordAsync());
    }

    [Fact]
    public async Task ContainAsync_WhenAlreadyInStandbyAndProtected_ChangesNeitherAndReleaseLeavesThemSo()
    {
        await _aws.PutInStandbyProtectedAsync(Web1);
        var steps = Steps();

        var report = await ContainAsync(steps);
        await steps.ReverseAsync(Web1, CancellationToken.None);

        Assert.DoesNotContain(report.Steps, s => s.Action is ContainmentAction.Standby or ContainmentAction.ScaleInProtection or ContainmentAction.Detach);
        Assert.Equal((AutoScalingMember.Standby, true), _aws.MemberOf(Web1));
        Assert.DoesNotContain(_aws.Changes, c => c.StartsWith("autoscaling:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReverseAsync_UndoesEverythingBackwardsAndForgetsTheRecord()
    {
        var steps = Steps(revoke: true);
        await ContainAsync(steps);
        _aws.Changes.Clear();

        var undone = await steps.ReverseAsync(Web1, CancellationToken.None);

        Assert.Equal([ContainmentAction.RevokeSessions, ContainmentAction.KeepVolumes, ContainmentAction.Deregister, ContainmentAction.Standby,
            ContainmentAction.ScaleInProtection], undone.Steps.Select(s => s.Action));
        Assert.All(undone.Steps, s => Assert.Equal(ContainmentOutcome.Undone, s.Outcome));
        Assert.Equal([
            "iam:DeleteRolePolicy " + SandboxContainment.RoleName, "ec2:ModifyInstanceAttribute " + Web1, "elasticloadbalancing:RegisterTargets " + Web1,
            "autoscaling:ExitStandby " + Web1, "autoscaling:SetInstanceProtection " + Web1], _aws.Changes);
        AssertAsBefore();
        Assert.Null(await RecordAsync());
    }

    [Fact]
    public async Task ReverseAsync_WithNoRecord_CallsNothing()
    {
        var undone = await Steps().ReverseAsync(Web1, CancellationToken.None);

        Assert.Empty(undone.Steps);
        Assert.Empty(_aws.Changes);
    }

    [Fact]
    public async Task ReverseAsync_WhenAnUndoFails_KeepsThatStepAlone_AndTheNextReleaseFinishesIt()
    {
        var steps = Steps();
        await ContainAsync(steps);
        _aws.Failing.Add(AwsOperations.ElbRegisterTargets);

        var first = await steps.ReverseAsync(Web1, CancellationToken.None);

        Assert.Equal(ContainmentOutcome.UndoFailed, OutcomeOf(first, ContainmentAction.Deregister));
        Assert.Equal(ContainmentOutcome.Undone, OutcomeOf(first, ContainmentAction.Standby));
        Assert.Equal([ContainmentAction.Deregister], (await RecordAsync())!.Steps.Select(s => s.Action));
        Assert.False(_aws.IsRegistered(Web1));

        _aws.Failing.Clear();
        _aws.Changes.Clear();
        var second = await steps.ReverseAsync(Web1, CancellationToken.None);

        Assert.Equal([ContainmentAction.Deregister], second.Steps.Select(s => s.Action));
        Assert.Equal(["elasticloadbalancing:RegisterTargets " + Web1], _aws.Changes);
        AssertAsBefore();
        Assert.Null(await RecordAsync());
    }

    public static TheoryData<string, string> EachStep => new()
    {
        { AwsOperations.AutoScalingDescribeAutoScalingInstances, "Standby" },
        { AwsOperations.AutoScalingSetInstanceProtection, "ScaleInProtection" },
        { AwsOperations.AutoScalingEnterStandby, "Standby" },
        { AwsOperations.ElbDescribeTargetHealth, "Deregister" },
        { AwsOperations.ElbDeregisterTargets, "Deregister" },
        { AwsOperations.Ec2DescribeInstances, "KeepVolumes" },
        { AwsOperations.Ec2ModifyInstanceAttribute, "KeepVolumes" },
        { AwsOperations.IamGetInstanceProfile, "RevokeSessions" },
        { AwsOperations.IamPutRolePolicy, "RevokeSessions" },
    };

    [Theory]
    [MemberData(nameof(EachStep))]
    public async Task ContainAsync_WhenOneStepFails_ReportsItGoesOnWithTheOthers_AndARetryFinishesOnlyThatStep(string failing, string stepName)
    {
        var step = Enum.Parse<ContainmentAction>(stepName);
        var steps = Steps(revoke: true);
        _aws.Failing.Add(failing);

        var first = await ContainAsync(steps);

        var failed = first.Steps.First(s => s.Action == step);
        Assert.Equal(ContainmentOutcome.Failed, failed.Outcome);
        Assert.Equal(failing, failed.Error!.Operation);
        Assert.Equal(AwsFailure.AccessDenied, failed.Error.Failure);
        // The others went ahead (a failed standby does not even stop scale-in protection).
        Assert.Contains(first.Steps, s => s.Action != step && s.Outcome == ContainmentOutcome.Done);
        // AccessDenied is not "Standby impossible": no detach.
        Assert.DoesNotContain(ContainmentAction.Detach, first.Steps.Select(s => s.Action));

        _aws.Failing.Clear();
        var retry = await ContainAsync(steps);

        Assert.All(retry.Steps, s => Assert.Equal(s.Action == step || (failing == AwsOperations.AutoScalingDescribeAutoScalingInstances
            && s.Action == ContainmentAction.ScaleInProtection) || (failing == AwsOperations.Ec2DescribeInstances && s.Action == ContainmentAction.RevokeSessions)
            ? ContainmentOutcome.Done : ContainmentOutcome.AlreadyDone, s.Outcome));
        Assert.Equal((AutoScalingMember.Standby, true), _aws.MemberOf(Web1));
        Assert.False(_aws.IsRegistered(Web1));
        Assert.False(_aws.DeletesOnTermination(Web1, Web1Volume));
        Assert.Single(_aws.RolePolicies);
        // Each change was made once, whatever failed before.
        Assert.Equal(_aws.Changes.Count, _aws.Changes.Distinct().Count());

        await steps.ReverseAsync(Web1, CancellationToken.None);
        AssertAsBefore();
        Assert.Null(await RecordAsync());
    }

    [Theory]
    [MemberData(nameof(EachStep))]
    public async Task ReverseAsync_AfterAStepFailed_UndoesWhatWasDoneAndNothingMore(string failing, string stepName)
    {
        var step = Enum.Parse<ContainmentAction>(stepName);
        var steps = Steps(revoke: true);
        _aws.Failing.Add(failing);
        await ContainAsync(steps);
        _aws.Failing.Clear();
        var changed = _aws.Changes.ToList();
        _aws.Changes.Clear();

        var undone = await steps.ReverseAsync(Web1, CancellationToken.None);

        AssertAsBefore();
        Assert.Null(await RecordAsync());
        Assert.DoesNotContain(undone.Steps, s => s.Outcome == ContainmentOutcome.UndoFailed);
        // Every undo call matches a change that was made (the failed step's undo is a harmless no-op at most).
        Assert.Equal(changed.Count, undone.Steps.Count(s => s.Action != step));
    }

    [Fact]
    public async Task ContainAsync_WhenTheRecordCannotBeWritten_TakesNoStep()
    {
        var table = new Mock<IStateTable>();
        table.Setup(t => t.GetAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync((StateItem?)null);
        table.Setup(t => t.PutAsync(It.IsAny<StateItem>(), It.IsAny<StateCondition>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AwsCallException(AwsOperations.DynamoPutItem, AwsFailure.ServiceError, "InternalServerError", System.Net.HttpStatusCode.InternalServerError, "down"));
        var steps = new ContainmentSteps(new ContainmentPorts(_aws, _aws, _aws, _aws), table.Object, new ContainmentOptions(), _time);

        var report = await steps.ContainAsync(Subject(), Start, Start.AddSeconds(6), CancellationToken.None);

        Assert.Empty(_aws.Changes);
        Assert.All(report.Steps, s => Assert.Equal(ContainmentOutcome.Failed, s.Outcome));
        Assert.All(report.Steps, s => Assert.Equal(AwsOperations.DynamoPutItem, s.Error!.Operation));
    }

    [Fact]
    public async Task ContainAsync_WithNoTimeLeft_TakesNoStepAndSaysEachTimedOut()
    {
        var report = await Steps().ContainAsync(Subject(), Start, Start, CancellationToken.None);

        Assert.Empty(_aws.Changes);
        Assert.NotEmpty(report.Steps);
        Assert.All(report.Steps, s => Assert.Equal(AwsFailure.Timeout, s.Error!.Failure));
    }

    /// <summary>Ports that, on each change, check the step is already in the record as Started (or later).</summary>
    private sealed class RecordCheckingPorts(SandboxContainment aws, IStateTable state, TimeProvider time)
        : IAutoScaling, ILoadBalancing, IInstanceStorage, IRoleSessions
    {
        public List<string> Checked { get; } = [];

        public ContainmentPorts Ports => new(this, this, this, this);

        private async Task CheckAsync(ContainmentAction action)
        {
            var item = await state.GetAsync(ContainmentLedger.KeyOf(Web1), time.GetUtcNow(), CancellationToken.None);
            var record = System.Text.Json.JsonSerializer.Deserialize(item!.Text("record")!, ContainmentJsonContext.Default.ContainmentRecord)!;
            Assert.Equal(ContainmentStatus.Started, record.Steps.Single(s => s.Action == action).Status);
            Checked.Add(action.ToString());
        }

        public Task<AutoScalingMember?> FindAsync(string instanceId, CancellationToken ct) => aws.FindAsync(instanceId, ct);
        public async Task SetScaleInProtectionAsync(string g, string i, bool p, CancellationToken ct) { await CheckAsync(ContainmentAction.ScaleInProtection); await aws.SetScaleInProtectionAsync(g, i, p, ct); }
        public async Task EnterStandbyAsync(string g, string i, CancellationToken ct) { await CheckAsync(ContainmentAction.Standby); await aws.EnterStandbyAsync(g, i, ct); }
        public Task ExitStandbyAsync(string g, string i, CancellationToken ct) => aws.ExitStandbyAsync(g, i, ct);
        public async Task DetachAsync(string g, string i, CancellationToken ct) { await CheckAsync(ContainmentAction.Detach); await aws.DetachAsync(g, i, ct); }
        public Task AttachAsync(string g, string i, CancellationToken ct) => aws.AttachAsync(g, i, ct);
        public Task<IReadOnlyList<TargetRegistration>> FindAsync(string instanceId, string? vpcId, CancellationToken ct) => aws.FindAsync(instanceId, vpcId, ct);
        public async Task DeregisterAsync(string i, TargetRegistration r, CancellationToken ct) { await CheckAsync(ContainmentAction.Deregister); await aws.DeregisterAsync(i, r, ct); }
        public Task RegisterAsync(string i, TargetRegistration r, CancellationToken ct) => aws.RegisterAsync(i, r, ct);
        public Task<InstanceStorage> DescribeAsync(string instanceId, CancellationToken ct) => aws.DescribeAsync(instanceId, ct);
        public async Task SetDeleteOnTerminationAsync(string i, IReadOnlyList<VolumeSetting> v, CancellationToken ct) { await CheckAsync(ContainmentAction.KeepVolumes); await aws.SetDeleteOnTerminationAsync(i, v, ct); }
        public Task<IReadOnlyList<string>> RolesOfProfileAsync(string p, CancellationToken ct) => aws.RolesOfProfileAsync(p, ct);
        public async Task DenySessionsIssuedBeforeAsync(string r, string p, DateTimeOffset b, CancellationToken ct) { await CheckAsync(ContainmentAction.RevokeSessions); await aws.DenySessionsIssuedBeforeAsync(r, p, b, ct); }
        public Task RemovePolicyAsync(string r, string p, CancellationToken ct) => aws.RemovePolicyAsync(r, p, ct);
    }
}
