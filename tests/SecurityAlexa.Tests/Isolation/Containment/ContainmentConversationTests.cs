using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Isolation.Containment;

/// <summary>
/// Containment through the real entry point: in the sandbox account (web-1 is in web-asg and web-tg), and over the
/// real adapters with the Query-protocol services on loopback, where a failure must never stop the swap.
/// </summary>
public sealed class ContainmentConversationTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";

    private static (SkillDriver Driver, SandboxAccount Account) Sandbox(bool revoke = false, SwitchableIsolation? isolation = null)
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 21, 0, 0, TimeSpan.Zero)));
        var env = new Dictionary<string, string>();
        if (revoke) env["REVOKE_INSTANCE_ROLE_SESSIONS"] = "true";
        var services = account.Services();
        if (isolation is not null)
        {
            isolation.Inner = account.Isolation;
            services = new SkillServices
            {
                Instances = services.Instances, Isolation = isolation, Chat = services.Chat, FlowLogs = services.FlowLogs,
                Scanner = services.Scanner, Parameters = services.Parameters, State = services.State, Patches = services.Patches,
                Containment = services.Containment,
            };
        }
        return (new SkillDriver(services, time: account.Clock, environment: env), account);
    }

    private static AlexaRequests Say(string intent, string name) => intent == "IsolateIntent"
        ? AlexaRequests.Intent(intent, ("InstanceName", name), ("TagKey", null), ("TagValue", null), ("Reason", null))
        : AlexaRequests.Intent(intent, ("InstanceName", name), ("TagKey", null), ("TagValue", null));

    private static async Task<AlexaReply> ConfirmAsync(SkillDriver driver, string intent, string name)
    {
        await driver.SayAsync(Say(intent, name));
        return await driver.SayAsync(Say(intent, name).Confirmation("CONFIRMED"));
    }

    [Fact]
    public async Task Sandbox_IsolateWeb1_SaysStandbyAndDeregistration_CardAndChatListEachStep_AndReleaseBringsThemBack()
    {
        var (driver, account) = Sandbox();
        var aws = account.Containment;

        var isolated = await ConfirmAsync(driver, "IsolateIntent", "web one");

        Assert.Contains("web-1 is isolated", isolated.Speech);
        Assert.Contains("For web-1: protected from scale-in, in standby in its Auto Scaling group, out of 1 target group and its volumes kept if it's terminated.",
            isolated.Speech);
        Assert.Contains("Auto Scaling standby: web-asg (done)", isolated.CardText);
        Assert.Contains("Target groups: web-tg:80 (done)", isolated.CardText);
        Assert.Contains("Volumes kept on termination: vol-0a1b2c3d4e5f60001 (done)", isolated.CardText);
        var post = Assert.Single(account.Chat.Posts);
        Assert.Contains("Containment of web-1 (i-0a1b2c3d4e5f60001): Scale-in protection web-asg done; Auto Scaling standby web-asg done; Target groups web-tg:80 done", post);
        Assert.Equal((AutoScalingMember.Standby, true), aws.MemberOf(Web1));
        Assert.False(aws.IsRegistered(Web1));

        var released = await ConfirmAsync(driver, "ReleaseIntent", "web one");

        Assert.Contains("web-1 is released", released.Speech);
        Assert.Contains("For web-1: its volumes back to being deleted on termination, back in 1 target group, back in service in its Auto Scaling group and scale-in protection off again.",
            released.Speech);
        Assert.Contains("Auto Scaling standby: web-asg (undone)", released.CardText);
        Assert.Equal((AutoScalingMember.InService, false), aws.MemberOf(Web1));
        Assert.Equal(2, aws.DesiredCapacity);
        Assert.True(aws.IsRegistered(Web1));
        Assert.True(aws.DeletesOnTermination(Web1, "vol-0a1b2c3d4e5f60001"));
        Assert.Contains("Containment of web-1 (i-0a1b2c3d4e5f60001): Volumes kept on termination vol-0a1b2c3d4e5f60001 undone", account.Chat.Posts[^1]);
    }

    [Fact]
    public async Task Sandbox_WhenStandbyIsDenied_TheSwapStillHappens_TheFailureIsSaid_AndIsolatingAgainFinishesIt()
    {
        var (driver, account) = Sandbox();
        account.Containment.Failing.Add(AwsOperations.AutoScalingEnterStandby);

        var isolated = await ConfirmAsync(driver, "IsolateIntent", "web one");

        Assert.StartsWith("Done. web-1 is isolated: all 2 of its network interfaces are in the isolation group", isolated.Speech);
        Assert.Contains("For web-1, I couldn't put it in standby. Say isolate web-1 again to retry.", isolated.Speech);
        Assert.Contains("Auto Scaling standby: web-asg FAILED (autoscaling:EnterStandby: AccessDenied)", isolated.CardText);
        Assert.Contains("Auto Scaling standby web-asg FAILED AccessDenied", account.Chat.Posts[^1]);
        Assert.All(account.World.Find(Web1)!.Interfaces, i => Assert.Single(i.Groups));
        Assert.Equal(AutoScalingMember.InService, account.Containment.MemberOf(Web1)?.State);

        account.Containment.Failing.Clear();
        var again = await ConfirmAsync(driver, "IsolateIntent", "web one");

        Assert.Contains("For web-1: in standby in its Auto Scaling group.", again.Speech);
        Assert.Equal(AutoScalingMember.Standby, account.Containment.MemberOf(Web1)?.State);
        Assert.Single(account.Containment.Changes, c => c == "autoscaling:EnterStandby " + Web1);
        Assert.Single(account.Containment.Changes, c => c == "elasticloadbalancing:DeregisterTargets " + Web1);
    }

    [Fact]
    public async Task Sandbox_WithRoleSessionRevocation_PutsThePolicyOnIsolateAndRemovesItOnRelease()
    {
        var (driver, account) = Sandbox(revoke: true);

        var isolated = await ConfirmAsync(driver, "IsolateIntent", "web one");
        Assert.Contains("its role's earlier sessions revoked", isolated.Speech);
        Assert.Single(account.Containment.RolePolicies);

        var released = await ConfirmAsync(driver, "ReleaseIntent", "web one");
        Assert.Contains("its role's session policy removed", released.Speech);
        Assert.Empty(account.Containment.RolePolicies);
    }

    [Fact]
    public async Task Sandbox_WhenTheSwapIsNotUndone_ContainmentStaysInPlace()
    {
        var isolation = new SwitchableIsolation();
        var (driver, account) = Sandbox(isolation: isolation);
        await ConfirmAsync(driver, "IsolateIntent", "web one");
        account.Containment.Changes.Clear();
        // The release of the interfaces fails: nothing of the containment may be undone while the instance is isolated.
        isolation.FailMoves = true;

        var reply = await ConfirmAsync(driver, "ReleaseIntent", "web one");

        Assert.DoesNotContain("is released", reply.Speech);
        Assert.Empty(account.Containment.Changes);
        Assert.Equal(AutoScalingMember.Standby, account.Containment.MemberOf(Web1)?.State);
    }

    [Fact]
    public async Task RealAdapters_WhenAutoScalingDeniesTheLookup_TheSwapStillHappensAndTheFailureIsSaidPlainly()
    {
        using var h = new HostileHarness();
        h.Http.Fail(AwsOperations.AutoScalingDescribeAutoScalingInstances, 403, "AccessDenied");
        h.Driver.EndSession();
        await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")));

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED"));

        Assert.Contains("web-1 is isolated", reply.Speech);
        Assert.Contains("For web-1, I couldn't put it in standby.", reply.Speech);
        Assert.Contains("Auto Scaling standby:  FAILED (autoscaling:DescribeAutoScalingInstances: AccessDenied)", reply.CardText);
        Assert.Equal(2, h.Changes<Amazon.EC2.Model.ModifyNetworkInterfaceAttributeRequest>().Count(r => r.Groups.Contains(HostileHarness.IsolationGroupId)));
        // The target groups were still looked up, and nothing in Auto Scaling was changed.
        Assert.NotEmpty(h.Http.CallsOf("elasticloadbalancing:DescribeTargetGroups"));
        Assert.DoesNotContain(h.Http.MutatingCalls, c => c.Operation.StartsWith("autoscaling:", StringComparison.Ordinal));
    }

    /// <summary>The sandbox's isolation port, with interface moves that can be made to fail.</summary>
    private sealed class SwitchableIsolation : SecurityAlexa.Isolation.IIsolationAccount
    {
        public SecurityAlexa.Isolation.IIsolationAccount Inner { get; set; } = null!;

        public bool FailMoves { get; set; }

        public Task<IReadOnlyList<SecurityAlexa.Isolation.IsolationSubject>> DescribeAsync(IReadOnlyCollection<string> ids, CancellationToken ct) => Inner.DescribeAsync(ids, ct);
        public Task<SecurityAlexa.Targets.Page<SecurityAlexa.Isolation.IsolationSubject>> ListMarkedAsync(string? token, CancellationToken ct) => Inner.ListMarkedAsync(token, ct);
        public Task<bool> GetTerminationProtectionAsync(string id, CancellationToken ct) => Inner.GetTerminationProtectionAsync(id, ct);
        public Task SetTerminationProtectionAsync(string id, bool on, CancellationToken ct) => Inner.SetTerminationProtectionAsync(id, on, ct);
        public Task TagAsync(IReadOnlyCollection<string> ids, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => Inner.TagAsync(ids, tags, ct);
        public Task UntagAsync(IReadOnlyCollection<string> ids, IReadOnlyDictionary<string, string?> tags, CancellationToken ct) => Inner.UntagAsync(ids, tags, ct);
        public Task SetInterfaceGroupsAsync(string id, IReadOnlyList<string> groups, CancellationToken ct) => FailMoves
            ? Task.FromException(new AwsCallException(AwsOperations.Ec2ModifyNetworkInterfaceAttribute, AwsFailure.ServiceError, "InternalError", System.Net.HttpStatusCode.InternalServerError, "test"))
            : Inner.SetInterfaceGroupsAsync(id, groups, ct);
        public Task<IReadOnlyList<SecurityAlexa.Isolation.SkillGroup>> FindSkillGroupsAsync(string vpc, CancellationToken ct) => Inner.FindSkillGroupsAsync(vpc, ct);
        public Task<string?> CreateGroupAsync(SecurityAlexa.Isolation.NewSkillGroup group, CancellationToken ct) => Inner.CreateGroupAsync(group, ct);
        public Task<SecurityAlexa.Isolation.AllowAllChange> AllowAllTrafficAsync(string id, CancellationToken ct) => Inner.AllowAllTrafficAsync(id, ct);
        public Task<SecurityAlexa.Isolation.RuleChange> RevokeDefaultEgressAsync(string id, CancellationToken ct) => Inner.RevokeDefaultEgressAsync(id, ct);
        public Task<IReadOnlyList<string>> SnapshotInstanceAsync(string id, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
            Inner.SnapshotInstanceAsync(id, description, tags, ct);
    }
}
