using System.Globalization;
using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// The isolation port over the sandbox world: interfaces, security groups, tags, termination
/// protection and snapshots change in memory the way EC2 would change them, errors included.
/// </summary>
internal sealed class SandboxIsolation(SandboxWorld world) : IIsolationAccount
{
    /// <summary>The instance someone has just tagged for isolation in the console (see events/eventbridge-createtags.json).</summary>
    public const string TaggedForIsolation = "i-0c3d4e5f6a7b80005";

    private readonly List<(string Id, string VolumeId, Dictionary<string, string> Tags)> _snapshots = [];
    private int _next;

    /// <summary>
    /// api-1 carries the default isolate tag, as if someone had just put it there: the sample CreateTags
    /// event is that tagging, and the tag-event path checks that the tag is really present.
    /// </summary>
    public static void SeedTagging(SandboxWorld world) =>
        world.Locked(w => w.Find(TaggedForIsolation)?.Tags.TryAdd("SecurityAlexa:Isolate", "true"));

    /// <summary>Snapshots taken so far: id, volume and tags.</summary>
    public IReadOnlyList<(string Id, string VolumeId, IReadOnlyDictionary<string, string> Tags)> Snapshots =>
        world.Locked(_ => _snapshots.Select(s => (s.Id, s.VolumeId, (IReadOnlyDictionary<string, string>)s.Tags)).ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<IsolationSubject>> DescribeAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IsolationSubject>>(world.Locked(w => w.Instances
            .Where(i => instanceIds.Contains(i.Id))
            .Select(i => ToSubject(w, i))
            .ToList()));

    /// <inheritdoc />
    public Task<Page<IsolationSubject>> ListMarkedAsync(string? nextToken, CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w => new Page<IsolationSubject>(
            w.Instances.Where(i => i.Tags.ContainsKey(SkillTags.IsolatedAt)).Select(i => ToSubject(w, i)).ToList(), null)));

    /// <inheritdoc />
    public Task<bool> GetTerminationProtectionAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w => Instance(w, instanceId, AwsOperations.Ec2DescribeInstanceAttribute).TerminationProtection));

    /// <inheritdoc />
    public Task SetTerminationProtectionAsync(string instanceId, bool enabled, CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w => Instance(w, instanceId, AwsOperations.Ec2ModifyInstanceAttribute)
            .TerminationProtection = enabled));

    /// <inheritdoc />
    public Task TagAsync(IReadOnlyCollection<string> resourceIds, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w =>
        {
            var targets = resourceIds.Select(id => TagsOf(w, id, AwsOperations.Ec2CreateTags)).ToList();
            foreach (var target in targets)
            {
                foreach (var (key, value) in tags) target[key] = value;
            }
            return true;
        }));

    /// <inheritdoc />
    public Task UntagAsync(IReadOnlyCollection<string> resourceIds, IReadOnlyDictionary<string, string?> tags,
        CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w =>
        {
            foreach (var target in resourceIds.Select(id => TagsOf(w, id, AwsOperations.Ec2DeleteTags)).ToList())
            {
                foreach (var (key, value) in tags)
                {
                    if (value is null || (target.TryGetValue(key, out var current) && current == value)) target.Remove(key);
                }
            }
            return true;
        }));

    /// <inheritdoc />
    public Task SetInterfaceGroupsAsync(string interfaceId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w =>
        {
            var (instance, eni) = Interface(w, interfaceId);
            foreach (var id in groupIds)
            {
                if (!w.SecurityGroups.Any(g => g.Id == id && g.VpcId == instance.VpcId))
                    throw Error(AwsOperations.Ec2ModifyNetworkInterfaceAttribute, "InvalidGroup.NotFound",
                        $"The security group '{id}' does not exist in VPC '{instance.VpcId}'");
            }
            eni.Groups = [.. groupIds];
            return true;
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<SkillGroup>> FindSkillGroupsAsync(string vpcId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SkillGroup>>(world.Locked(w => w.SecurityGroups
            .Where(g => g.VpcId == vpcId && g.Tags.ContainsKey(SkillTags.GroupRole))
            .Select(g => new SkillGroup(g.Id, g.VpcId, g.Tags[SkillTags.GroupRole], g.AllowsAllIngress ? 1 : 0, g.AllowsAllEgress ? 1 : 0,
                g.AllowsAllEgress && !g.AllowsAllIngress))
            .ToList()));

    /// <inheritdoc />
    public Task<string?> CreateGroupAsync(NewSkillGroup group, CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w =>
        {
            if (w.SecurityGroups.Any(g => g.VpcId == group.VpcId && g.Name == group.Name)) return (string?)null;
            var sg = new SandboxSecurityGroup { Id = NewId(w, "sg-0sa"), Name = group.Name, VpcId = group.VpcId };
            foreach (var (key, value) in group.Tags) sg.Tags[key] = value;
            w.SecurityGroups.Add(sg);
            return sg.Id;
        }));

    /// <inheritdoc />
    public Task<AllowAllChange> AllowAllTrafficAsync(string groupId, CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w =>
        {
            var sg = Group(w, groupId, AwsOperations.Ec2AuthorizeSecurityGroupIngress);
            var change = new AllowAllChange(sg.AllowsAllIngress ? RuleChange.AlreadyPresent : RuleChange.Applied,
                sg.AllowsAllEgress ? RuleChange.AlreadyPresent : RuleChange.Applied);
            sg.AllowsAllIngress = true;
            sg.AllowsAllEgress = true;
            return change;
        }));

    /// <inheritdoc />
    public Task<RuleChange> RevokeDefaultEgressAsync(string groupId, CancellationToken cancellationToken) =>
        Task.FromResult(world.Locked(w =>
        {
            var sg = Group(w, groupId, AwsOperations.Ec2RevokeSecurityGroupEgress);
            var change = sg.AllowsAllEgress ? RuleChange.Applied : RuleChange.AlreadyAbsent;
            sg.AllowsAllEgress = false;
            return change;
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> SnapshotInstanceAsync(string instanceId, string description,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(world.Locked(w =>
        {
            var instance = Instance(w, instanceId, AwsOperations.Ec2CreateSnapshots);
            var ids = new List<string>();
            foreach (var volume in instance.VolumeIds)
            {
                var id = NewId(w, "snap-0sa");
                _snapshots.Add((id, volume, new Dictionary<string, string>(tags, StringComparer.Ordinal)));
                ids.Add(id);
            }
            return ids;
        }));

    private static IsolationSubject ToSubject(SandboxWorld w, SandboxInstance i) => new(
        i.Id,
        i.Tags.GetValueOrDefault("Name"),
        InstanceRunStates.FromEc2Name(i.State),
        i.VpcId,
        new Dictionary<string, string>(i.Tags, StringComparer.Ordinal),
        [.. i.VolumeIds],
        i.Interfaces.Select((eni, index) => new InterfaceState(
            eni.Id,
            i.VpcId,
            eni.Groups.Select(g => new GroupRef(g, w.SecurityGroups.FirstOrDefault(sg => sg.Id == g)?.Name)).ToList(),
            new Dictionary<string, string>(eni.Tags, StringComparer.Ordinal),
            index)).ToList());

    private static SandboxInstance Instance(SandboxWorld w, string id, string operation) =>
        w.Find(id) ?? throw Error(operation, "InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");

    private static (SandboxInstance Instance, SandboxInterface Eni) Interface(SandboxWorld w, string id)
    {
        foreach (var instance in w.Instances)
        {
            if (instance.Interfaces.FirstOrDefault(e => e.Id == id) is { } eni) return (instance, eni);
        }
        throw Error(AwsOperations.Ec2ModifyNetworkInterfaceAttribute, "InvalidNetworkInterfaceID.NotFound",
            $"The networkInterface ID '{id}' does not exist");
    }

    private static SandboxSecurityGroup Group(SandboxWorld w, string id, string operation) =>
        w.SecurityGroups.FirstOrDefault(g => g.Id == id)
            ?? throw Error(operation, "InvalidGroup.NotFound", $"The security group '{id}' does not exist");

    private Dictionary<string, string> TagsOf(SandboxWorld w, string id, string operation)
    {
        if (w.Find(id) is { } instance) return instance.Tags;
        foreach (var eni in w.Instances.SelectMany(i => i.Interfaces))
        {
            if (eni.Id == id) return eni.Tags;
        }
        if (w.SecurityGroups.FirstOrDefault(g => g.Id == id) is { } sg) return sg.Tags;
        if (_snapshots.FirstOrDefault(s => s.Id == id) is { Id: not null } snapshot) return snapshot.Tags;
        throw Error(operation, "InvalidID", $"The ID '{id}' is not valid");
    }

    private string NewId(SandboxWorld w, string prefix)
    {
        string id;
        do
        {
            id = prefix + (++_next).ToString("x", CultureInfo.InvariantCulture).PadLeft(14, '0');
        }
        while (w.SecurityGroups.Any(g => g.Id == id));
        return id;
    }

    private static AwsCallException Error(string operation, string code, string message) =>
        new(operation, AwsCallException.Classify(code, System.Net.HttpStatusCode.BadRequest), code, System.Net.HttpStatusCode.BadRequest,
            message);
}
