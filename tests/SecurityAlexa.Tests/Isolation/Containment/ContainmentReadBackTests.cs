using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Isolation.Containment;

/// <summary>
/// The isolation read-back says what containment will change before the swap (standby, deregistration, volumes, role
/// sessions), from reads only, so that the yes confirms what will actually happen; in the sandbox account, where web-1 and
/// web-2 are in web-asg and web-tg and db-1 is in neither.
/// </summary>
public sealed class ContainmentReadBackTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";

    private static (SkillDriver Driver, SandboxAccount Account) Sandbox(bool revoke = false)
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 21, 0, 0, TimeSpan.Zero)));
        var env = new Dictionary<string, string>();
        if (revoke) env["REVOKE_INSTANCE_ROLE_SESSIONS"] = "true";
        return (new SkillDriver(account.Services(), time: account.Clock, environment: env), account);
    }

    private static AlexaRequests Isolate(string name) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", name), ("TagKey", null), ("TagValue", null), ("Reason", null));

    private static AlexaRequests IsolateTagged(string key, string value) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", key), ("TagValue", value), ("Reason", null));

    [Fact]
    public async Task ReadBack_ForAnInstanceInAGroupAndATargetGroup_SaysEachStepAndChangesNothing()
    {
        var (driver, account) = Sandbox();

        var reply = await driver.SayAsync(Isolate("web one"));

        Assert.Equal("Isolating web-1, instance ending in 0001, in the VPC ending in prod. It will lose all network access. "
            + "Before that, web-1 is protected from scale-in, goes into standby in its Auto Scaling group, comes out of 1 target group "
            + "and keeps its volumes if it's terminated. Shall I go ahead?", reply.Speech);
        // Only read: nothing in Auto Scaling, the target group, the volumes or the interfaces moved.
        Assert.Empty(account.Containment.Changes);
        Assert.Equal((AutoScalingMember.InService, false), account.Containment.MemberOf(Web1));
        Assert.True(account.Containment.IsRegistered(Web1));
        Assert.All(account.World.Find(Web1)!.Interfaces, i => Assert.DoesNotContain(i.Groups, g => g.StartsWith("sg-0sa", StringComparison.Ordinal)));
        Assert.DoesNotContain("sessions", reply.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBack_ForAnInstanceInNoGroup_SaysOnlyThatItsVolumesAreKept()
    {
        var (driver, account) = Sandbox();

        var reply = await driver.SayAsync(Isolate("db one"));

        Assert.Contains("Before that, db-1 keeps its volumes if it's terminated. Shall I go ahead?", reply.Speech);
        Assert.DoesNotContain("standby", reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("target group", reply.Speech, StringComparison.Ordinal);
        Assert.Empty(account.Containment.Changes);
    }

    [Fact]
    public async Task ReadBack_WithRoleSessionRevocation_SaysItReachesEverythingThatUsesTheRole()
    {
        var (driver, account) = Sandbox(revoke: true);

        var reply = await driver.SayAsync(Isolate("web one"));

        Assert.Contains("Its instance role's sessions from before now are revoked too, for everything that uses that role. Shall I go ahead?",
            reply.Speech);
        Assert.Empty(account.Containment.RolePolicies);
    }

    [Fact]
    public async Task ReadBack_WhenAutoScalingCannotBeRead_SaysEachStepWhereItApplies_AndTheYesStillIsolates()
    {
        var (driver, account) = Sandbox();
        account.Containment.Failing.Add(AwsOperations.AutoScalingDescribeAutoScalingInstances);

        var reply = await driver.SayAsync(Isolate("web one"));

        Assert.Contains("Before that, where it applies, it's protected from scale-in and put in standby in its Auto Scaling group, taken out of "
            + "its target groups, and keeps its volumes if it's terminated. Shall I go ahead?", reply.Speech);
        Assert.Empty(account.Containment.Changes);

        var done = await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));

        Assert.Contains("web-1 is isolated", done.Speech);
        Assert.Contains("For web-1, I couldn't put it in standby.", done.Speech);
        Assert.Contains("elasticloadbalancing:DeregisterTargets " + Web1, account.Containment.Changes);
    }

    [Fact]
    public async Task ReadBack_ForSeveralInstances_NamesTheInstancesEachStepAppliesTo()
    {
        var (driver, account) = Sandbox();

        var reply = await driver.SayAsync(IsolateTagged("Environment", "prod"));

        Assert.Contains("Before that: scale-in protection for web-1 and web-2, standby in Auto Scaling for web-1 and web-2, deregistration from "
            + "target groups for web-1 and web-2 and volumes kept on termination for db-1, web-1 and web-2.", reply.Speech);
        Assert.Empty(account.Containment.Changes);
    }

    [Fact]
    public async Task ReadBack_WhenStepsWereDoneByAnEarlierIsolation_LeavesThemOut()
    {
        var (driver, account) = Sandbox();
        // An earlier isolation whose swap did not finish: standby and the rest are recorded done, so only the swap is left.
        var steps = new ContainmentSteps(new ContainmentPorts(account.Containment, account.Containment, account.Containment, account.Containment),
            account.State, new ContainmentOptions(), account.Clock);
        await steps.ContainAsync(new SecurityAlexa.Isolation.IsolationSubject(Web1, "web-1", SecurityAlexa.Isolation.InstanceRunState.Running, SandboxWorld.ProdVpc,
            new Dictionary<string, string>(), [], []), account.Clock.GetUtcNow(), DateTimeOffset.MaxValue, CancellationToken.None);

        var reply = await driver.SayAsync(Isolate("web one"));

        Assert.DoesNotContain("Before that", reply.Speech, StringComparison.Ordinal);
        Assert.EndsWith("It will lose all network access. Shall I go ahead?", reply.Speech, StringComparison.Ordinal);
    }
}
