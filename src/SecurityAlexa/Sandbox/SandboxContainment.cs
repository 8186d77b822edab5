using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// The sandbox account's Auto Scaling group (web-asg: web-1 and web-2), its target group (web-tg, port 80), its volumes'
/// DeleteOnTermination flags and the web instances' role, behind the containment ports. Every change is logged, and a
/// test can make one operation fail.
/// </summary>
internal sealed class SandboxContainment : IAutoScaling, ILoadBalancing, IInstanceStorage, IRoleSessions
{
    public const string GroupName = "web-asg";
    public const string TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b";
    public const string ProfileArn = "arn:aws:iam::111122223333:instance-profile/web-app";
    public const string RoleName = "web-app-role";

    private readonly Lock _gate = new();
    private readonly SandboxWorld _world;
    private readonly Dictionary<string, (string State, bool Protected)> _members = new(StringComparer.Ordinal);
    private readonly HashSet<(string Instance, int Port)> _targets = [];
    private readonly Dictionary<string, bool> _deleteOnTermination = new(StringComparer.Ordinal);

    public SandboxContainment(SandboxWorld world)
    {
        _world = world;
        foreach (var web in (string[])["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"])
        {
            _members[web] = (AutoScalingMember.InService, false);
            _targets.Add((web, 80));
        }
        DesiredCapacity = 2;
    }

    /// <summary>The group's desired capacity.</summary>
    public int DesiredCapacity { get; private set; }

    /// <summary>Inline policies put on roles: (role, policy) to the document's time.</summary>
    public Dictionary<(string Role, string Policy), DateTimeOffset> RolePolicies { get; } = [];

    /// <summary>Every change made, as "Operation target".</summary>
    public List<string> Changes { get; } = [];

    /// <summary>True when the group is at its minimum size, so EnterStandby (which lowers the desired capacity) is refused.</summary>
    public bool AtMinimumSize { get; set; }

    /// <summary>Operations (IAM action names) that fail with AccessDenied, for fault tests.</summary>
    public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

    public Task<AutoScalingMember?> FindAsync(string instanceId, CancellationToken cancellationToken) =>
        Do(AwsOperations.AutoScalingDescribeAutoScalingInstances, null, () =>
            _members.TryGetValue(instanceId, out var m) ? new AutoScalingMember(GroupName, m.State, m.Protected) : null);

    public Task SetScaleInProtectionAsync(string groupName, string instanceId, bool protect, CancellationToken cancellationToken) =>
        Do(AwsOperations.AutoScalingSetInstanceProtection, instanceId, () =>
        {
            var m = Member(instanceId);
            _members[instanceId] = (m.State, protect);
            return true;
        });

    public Task EnterStandbyAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        Do(AwsOperations.AutoScalingEnterStandby, instanceId, () =>
        {
            var m = Member(instanceId);
            if (m.State != AutoScalingMember.InService)
                throw Invalid(AwsOperations.AutoScalingEnterStandby, "The instance is not InService.");
            if (AtMinimumSize) throw Invalid(AwsOperations.AutoScalingEnterStandby, "The group would go below its minimum size.");
            _members[instanceId] = (AutoScalingMember.Standby, m.Protected);
            DesiredCapacity--;
            return true;
        });

    public Task ExitStandbyAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        Do(AwsOperations.AutoScalingExitStandby, instanceId, () =>
        {
            var m = Member(instanceId);
            if (m.State != AutoScalingMember.Standby)
                throw Invalid(AwsOperations.AutoScalingExitStandby, "The instance is not in Standby.");
            _members[instanceId] = (AutoScalingMember.InService, m.Protected);
            DesiredCapacity++;
            return true;
        });

    // The desired capacity is kept: the group launches a replacement (not modelled).
    public Task DetachAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        Do(AwsOperations.AutoScalingDetachInstances, instanceId, () => _members.Remove(instanceId));

    public Task AttachAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        Do(AwsOperations.AutoScalingAttachInstances, instanceId, () =>
        {
            _members[instanceId] = (AutoScalingMember.InService, false);
            DesiredCapacity++;
            return true;
        });

    public Task<IReadOnlyList<TargetRegistration>> FindAsync(string instanceId, string? vpcId, CancellationToken cancellationToken) =>
        Do<IReadOnlyList<TargetRegistration>>(AwsOperations.ElbDescribeTargetHealth, null, () =>
            _targets.Where(t => t.Instance == instanceId && vpcId is null or SandboxWorld.ProdVpc)
                .Select(t => new TargetRegistration(TargetGroupArn, t.Port)).ToList());

    public Task DeregisterAsync(string instanceId, TargetRegistration registration, CancellationToken cancellationToken) =>
        Do(AwsOperations.ElbDeregisterTargets, instanceId, () => _targets.Remove((instanceId, registration.Port ?? 80)));

    public Task RegisterAsync(string instanceId, TargetRegistration registration, CancellationToken cancellationToken) =>
        Do(AwsOperations.ElbRegisterTargets, instanceId, () => _targets.Add((instanceId, registration.Port ?? 80)));

    public Task<InstanceStorage> DescribeAsync(string instanceId, CancellationToken cancellationToken) =>
        Do(AwsOperations.Ec2DescribeInstances, null, () =>
        {
            var instance = _world.Locked(w => w.Find(instanceId));
            if (instance is null) return new InstanceStorage([], null);
            var volumes = instance.VolumeIds.Select((v, i) => new VolumeSetting(i == 0 ? "/dev/xvda" : $"/dev/sd{(char)('f' + i)}", v,
                _deleteOnTermination.GetValueOrDefault(v, true))).ToList();
            return new InstanceStorage(volumes, instance.Tags.GetValueOrDefault("Role") == "web" ? ProfileArn : null);
        });

    public Task SetDeleteOnTerminationAsync(string instanceId, IReadOnlyList<VolumeSetting> volumes, CancellationToken cancellationToken) =>
        Do(AwsOperations.Ec2ModifyInstanceAttribute, instanceId, () =>
        {
            foreach (var v in volumes) _deleteOnTermination[v.VolumeId ?? v.DeviceName] = v.DeleteOnTermination;
            return true;
        });

    public Task<IReadOnlyList<string>> RolesOfProfileAsync(string profileName, CancellationToken cancellationToken) =>
        Do<IReadOnlyList<string>>(AwsOperations.IamGetInstanceProfile, null, () => profileName == "web-app" ? [RoleName] : []);

    public Task DenySessionsIssuedBeforeAsync(string roleName, string policyName, DateTimeOffset before,
        CancellationToken cancellationToken) =>
        Do(AwsOperations.IamPutRolePolicy, roleName, () => RolePolicies[(roleName, policyName)] = before);

    public Task RemovePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) =>
        Do(AwsOperations.IamDeleteRolePolicy, roleName, () => RolePolicies.Remove((roleName, policyName)));

    private (string State, bool Protected) Member(string instanceId) => _members.TryGetValue(instanceId, out var m) ? m
        : throw Invalid(AwsOperations.AutoScalingSetInstanceProtection, "The instance is not part of " + GroupName + ".");

    private static AwsCallException Invalid(string operation, string message) =>
        new(operation, AwsFailure.InvalidRequest, "ValidationError", System.Net.HttpStatusCode.BadRequest, message);

    // target: what a change touched, logged; null for a read.
    private Task<T> Do<T>(string operation, string? target, Func<T> action)
    {
        lock (_gate)
        {
            if (Failing.Contains(operation))
                return Task.FromException<T>(new AwsCallException(operation, AwsFailure.AccessDenied, "AccessDenied",
                    System.Net.HttpStatusCode.Forbidden, "Denied by the sandbox's fault list."));
            try
            {
                var result = action();
                if (target is not null) Changes.Add(operation + " " + target);
                return Task.FromResult(result);
            }
            catch (AwsCallException e)
            {
                return Task.FromException<T>(e);
            }
        }
    }
}
