using Amazon.Runtime;
using SecurityAlexa.Alexa;
using SecurityAlexa.Aws;
using SecurityAlexa.Bench.ColdStart;
using SecurityAlexa.Isolation;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>Discards log lines; the JSON line is still built, so its cost is measured.</summary>
internal sealed class NullLogSink : ILogSink
{
    public void Write(string jsonLine) { }
}

/// <summary>
/// Skill hosts over a <see cref="FakeFleet"/>, built the way <c>SkillHost.ForLambda</c> builds them, with the AWS
/// edge replaced: either the ports themselves (warm per-request cost), or the SDK interfaces and the inspector2
/// transport, so the real adapters run and every AWS call is counted (calls per command).
/// </summary>
internal static class BenchAccount
{
    public static SkillConfig Config(TimeSpan? budget = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SKILL_ID"] = ColdStartBench.SkillId,
            ["AWS_REGION"] = "us-east-1",
            // The sample events' speaker may make changes, as a team member would.
            ["ALLOWED_SPEAKERS"] = IdentityHash.Of(ColdStartBench.PersonId)!,
            ["ALLOWED_USERS"] = IdentityHash.Of(ColdStartBench.UserId)!,
        };
        if (budget is { } b) env["RESPONSE_BUDGET_MS"] = ((int)b.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return SkillConfig.FromEnvironment(env);
    }

    /// <summary>A host whose ports are in-memory fakes answering at once.</summary>
    public static SkillHost OverPorts(FakeFleet fleet)
    {
        var directory = new FleetDirectory(fleet);
        var services = new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory),
            Scanner = new FleetScanner(fleet),
        };
        return Host(services);
    }

    /// <summary>The real adapters over counting fakes of the SDK edge.</summary>
    public static (SkillHost Host, FleetEc2 Ec2) OverSdkEdge(FakeFleet fleet, CallCounter counter, TimeSpan latency)
    {
        var ec2 = new FleetEc2(fleet, counter, latency);
        var ssm = new FleetSsm(fleet, counter, latency);
        var instances = new Ec2InstanceDirectory(ec2.Client);
        var inspector = new SignedJsonClient(AwsService.Inspector2, "us-east-1", new Dictionary<string, string>(),
            new BasicAWSCredentials("AKIDBENCHDUMMY000000", "bench-dummy-secret-key"),
            new CountingInspectorHandler(new FakeInspector2(fleet), counter, latency),
            new SignedJsonOptions { MaxRetries = 0 });
        var services = new SkillServices
        {
            Instances = instances,
            Targets = new TargetResolver(instances),
            Scanner = new Inspector2Client(inspector),
            Parameters = new SsmParameterStore(() => ssm.Client),
            State = new CountingStateTable(counter, latency),
            Patches = new SsmPatchManager(ssm.Client),
        };
        return (Host(services), ec2);
    }

    /// <summary>
    /// The real adapters over the isolation tests' stateful EC2 fake: a fleet of <paramref name="size"/> instances with one
    /// interface each, the first 20 tagged Incident=42; every EC2 call counted and delayed. Its DescribeTags and
    /// DescribeInstances answer in one page, so target resolution is not what this measures.
    /// </summary>
    public static SkillHost ForIsolation(int size, CallCounter counter, TimeSpan latency) => ForIsolation(size, counter, latency, groupsExist: false);

    /// <summary>As above; with <paramref name="groupsExist"/> the VPC already has the skill's two groups, as after its first isolation.</summary>
    public static SkillHost ForIsolation(int size, CallCounter counter, TimeSpan latency, bool groupsExist)
    {
        var net = new SecurityAlexa.Tests.Isolation.Ec2Network();
        var vpc = SecurityAlexa.Tests.Isolation.Ec2Network.Vpc;
        net.AddGroup("sg-0web00000000000a1", "web", vpc);
        if (groupsExist)
        {
            var isolation = net.AddGroup("sg-0150000000000a0b1", IsolationRecord.GroupName(IsolationRecord.IsolationRole, vpc), vpc, SkillTags.GroupRole + "=" + IsolationRecord.IsolationRole);
            isolation.Egress.Clear();
            var allowAll = net.AddGroup("sg-0a11000000000a0b2", IsolationRecord.GroupName(IsolationRecord.AllowAllRole, vpc), vpc, SkillTags.GroupRole + "=" + IsolationRecord.AllowAllRole);
            allowAll.Ingress.Add(new Amazon.EC2.Model.IpPermission { IpProtocol = "-1", Ipv4Ranges = [new Amazon.EC2.Model.IpRange { CidrIp = "0.0.0.0/0" }] });
        }
        for (var n = 1; n <= size; n++)
        {
            var tags = n <= IsolateCount ? new[] { "Environment=prod", "Incident=42" } : ["Environment=prod"];
            net.AddInstance("i-" + n.ToString("x17", System.Globalization.CultureInfo.InvariantCulture), "web-" + n, ["sg-0web00000000000a1"], tags);
        }
        net.OnCall = async (operation, _) =>
        {
            counter.Add("ec2:" + operation);
            var wait = counter.Latency ?? latency;
            if (wait > TimeSpan.Zero) await Task.Delay(wait).ConfigureAwait(false);
        };
        var ssm = new FleetSsm(new FakeFleet(0), counter, latency);
        var instances = new Ec2InstanceDirectory(net.Client);
        var state = new CountingStateTable(counter, TimeSpan.Zero);
        // The groups are the skill's because its table recorded them when it created them (issue 13 §3).
        if (groupsExist)
            state.UpdateAsync(SecurityAlexa.State.StateKeys.IsolationGroups(vpc), new SecurityAlexa.State.StateUpdate()
                .Set(SecurityAlexa.State.StateItem.KindAttribute, SecurityAlexa.State.StateValue.Of("isolation-groups"))
                .Set(IsolationRecord.IsolationRole, SecurityAlexa.State.StateValue.Of("sg-0150000000000a0b1"))
                .Set(IsolationRecord.AllowAllRole, SecurityAlexa.State.StateValue.Of("sg-0a11000000000a0b2")), null, DateTimeOffset.UtcNow,
                CancellationToken.None).GetAwaiter().GetResult();
        state.Latency = latency;
        return Host(new SkillServices
        {
            Instances = instances,
            Targets = new TargetResolver(instances),
            Isolation = new Ec2IsolationAccount(net.Client),
            Parameters = new SsmParameterStore(() => ssm.Client),
            State = state,
        });
    }

    /// <summary>How many instances "isolate the instances tagged incident 42" covers.</summary>
    public const int IsolateCount = 20;

    private static SkillHost Host(SkillServices services) =>
        SkillHost.Create(Config(), services, new NullLogSink(), TimeProvider.System, _ => NoProgressiveResponse.Instance);
}
