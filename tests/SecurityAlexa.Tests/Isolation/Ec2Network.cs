using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Moq;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>
/// A strict Moq <see cref="IAmazonEC2"/> over a small in-memory VPC: instances, interfaces, security
/// groups with rules, tags, termination protection and snapshots. Every call is recorded in order,
/// and any call can be made to fail, so tests can check the exact calls and what they changed.
/// </summary>
public sealed class Ec2Network
{
    public const string Vpc = "vpc-0a11prod";
    private readonly Lock _gate = new();
    private readonly List<(string Operation, Func<AmazonWebServiceRequest, bool> When, Func<Exception> Fault, int Times)> _failures = [];
    private int _next;
    private int _requests;

    public Ec2Network()
    {
        Handle<DescribeInstancesRequest, DescribeInstancesResponse>("DescribeInstances", (m, f) => m.Setup(x => x.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>())).Returns(f), DescribeInstances);
        Handle<DescribeTagsRequest, DescribeTagsResponse>("DescribeTags", (m, f) => m.Setup(x => x.DescribeTagsAsync(It.IsAny<DescribeTagsRequest>(), It.IsAny<CancellationToken>())).Returns(f), DescribeTags);
        Handle<DescribeNetworkInterfacesRequest, DescribeNetworkInterfacesResponse>("DescribeNetworkInterfaces", (m, f) => m.Setup(x => x.DescribeNetworkInterfacesAsync(It.IsAny<DescribeNetworkInterfacesRequest>(), It.IsAny<CancellationToken>())).Returns(f), DescribeInterfaces);
        Handle<DescribeInstanceAttributeRequest, DescribeInstanceAttributeResponse>("DescribeInstanceAttribute", (m, f) => m.Setup(x => x.DescribeInstanceAttributeAsync(It.IsAny<DescribeInstanceAttributeRequest>(), It.IsAny<CancellationToken>())).Returns(f),
            r => new DescribeInstanceAttributeResponse { InstanceAttribute = new InstanceAttribute { InstanceId = r.InstanceId, DisableApiTermination = Instance(r.InstanceId).Protected } });
        Handle<ModifyInstanceAttributeRequest, ModifyInstanceAttributeResponse>("ModifyInstanceAttribute", (m, f) => m.Setup(x => x.ModifyInstanceAttributeAsync(It.IsAny<ModifyInstanceAttributeRequest>(), It.IsAny<CancellationToken>())).Returns(f),
            r => { Instance(r.InstanceId).Protected = r.DisableApiTermination ?? Instance(r.InstanceId).Protected; return new ModifyInstanceAttributeResponse(); });
        Handle<CreateTagsRequest, CreateTagsResponse>("CreateTags", (m, f) => m.Setup(x => x.CreateTagsAsync(It.IsAny<CreateTagsRequest>(), It.IsAny<CancellationToken>())).Returns(f), CreateTags);
        Handle<DeleteTagsRequest, DeleteTagsResponse>("DeleteTags", (m, f) => m.Setup(x => x.DeleteTagsAsync(It.IsAny<DeleteTagsRequest>(), It.IsAny<CancellationToken>())).Returns(f), DeleteTags);
        Handle<ModifyNetworkInterfaceAttributeRequest, ModifyNetworkInterfaceAttributeResponse>("ModifyNetworkInterfaceAttribute", (m, f) => m.Setup(x => x.ModifyNetworkInterfaceAttributeAsync(It.IsAny<ModifyNetworkInterfaceAttributeRequest>(), It.IsAny<CancellationToken>())).Returns(f), ModifyInterface);
        Handle<DescribeSecurityGroupsRequest, DescribeSecurityGroupsResponse>("DescribeSecurityGroups", (m, f) => m.Setup(x => x.DescribeSecurityGroupsAsync(It.IsAny<DescribeSecurityGroupsRequest>(), It.IsAny<CancellationToken>())).Returns(f), DescribeGroups);
        Handle<CreateSecurityGroupRequest, CreateSecurityGroupResponse>("CreateSecurityGroup", (m, f) => m.Setup(x => x.CreateSecurityGroupAsync(It.IsAny<CreateSecurityGroupRequest>(), It.IsAny<CancellationToken>())).Returns(f), CreateGroup);
        Handle<AuthorizeSecurityGroupIngressRequest, AuthorizeSecurityGroupIngressResponse>("AuthorizeSecurityGroupIngress", (m, f) => m.Setup(x => x.AuthorizeSecurityGroupIngressAsync(It.IsAny<AuthorizeSecurityGroupIngressRequest>(), It.IsAny<CancellationToken>())).Returns(f),
            r => { Group(r.GroupId).Ingress.AddRange(r.IpPermissions); return new AuthorizeSecurityGroupIngressResponse(); });
        Handle<AuthorizeSecurityGroupEgressRequest, AuthorizeSecurityGroupEgressResponse>("AuthorizeSecurityGroupEgress", (m, f) => m.Setup(x => x.AuthorizeSecurityGroupEgressAsync(It.IsAny<AuthorizeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>())).Returns(f),
            r => { Group(r.GroupId).Egress.AddRange(r.IpPermissions); return new AuthorizeSecurityGroupEgressResponse(); });
        Handle<RevokeSecurityGroupEgressRequest, RevokeSecurityGroupEgressResponse>("RevokeSecurityGroupEgress", (m, f) => m.Setup(x => x.RevokeSecurityGroupEgressAsync(It.IsAny<RevokeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>())).Returns(f), RevokeEgress);
        Handle<CreateSnapshotsRequest, CreateSnapshotsResponse>("CreateSnapshots", (m, f) => m.Setup(x => x.CreateSnapshotsAsync(It.IsAny<CreateSnapshotsRequest>(), It.IsAny<CancellationToken>())).Returns(f),
            r => new CreateSnapshotsResponse { Snapshots = Instance(r.InstanceSpecification.InstanceId).Volumes.Select(v => new SnapshotInfo { SnapshotId = "snap-" + NextHex(), VolumeId = v }).ToList() });
        Handle<DescribeFlowLogsRequest, DescribeFlowLogsResponse>("DescribeFlowLogs", (m, f) => m.Setup(x => x.DescribeFlowLogsAsync(It.IsAny<DescribeFlowLogsRequest>(), It.IsAny<CancellationToken>())).Returns(f), r =>
        {
            var found = FlowLogs.Where(l => (r.Filter ?? []).All(f => f.Name switch
            {
                "resource-id" => f.Values.Contains(l.ResourceId),
                "log-destination-type" => f.Values.Contains(l.LogDestinationType?.Value),
                _ => throw new InvalidOperationException("Unexpected filter " + f.Name),
            })).ToList();
            return new DescribeFlowLogsResponse { FlowLogs = found.Count == 0 ? null : found };
        });
    }

    public Mock<IAmazonEC2> Mock { get; } = new(MockBehavior.Strict);

    /// <summary>Flow logs in the account (DescribeFlowLogs answers from these, by resource id).</summary>
    public List<FlowLog> FlowLogs { get; } = [];

    public IAmazonEC2 Client => Mock.Object;

    public Dictionary<string, FakeInstance> Instances { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeInterface> Interfaces { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeGroup> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>Every call, in the order it arrived: operation name and request.</summary>
    public List<(string Operation, AmazonWebServiceRequest Request)> Calls { get; } = [];

    /// <summary>Runs inside every call before it is answered (to advance a fake clock, or hold a call).</summary>
    public Func<string, AmazonWebServiceRequest, Task>? OnCall { get; set; }

    /// <summary>Operation names of the calls that change something.</summary>
    public static readonly HashSet<string> Mutating = new(StringComparer.Ordinal)
    {
        "ModifyInstanceAttribute", "CreateTags", "DeleteTags", "ModifyNetworkInterfaceAttribute", "CreateSecurityGroup",
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress", "CreateSnapshots",
    };

    public IReadOnlyList<(string Operation, AmazonWebServiceRequest Request)> MutatingCalls { get { lock (_gate) return Calls.Where(c => Mutating.Contains(c.Operation)).ToList(); } }

    public IReadOnlyList<string> Operations { get { lock (_gate) return Calls.Select(c => c.Operation).ToList(); } }

    /// <summary>The standard fleet: web-1 with two interfaces, web-2 and db-1 with one, in one VPC.</summary>
    public static Ec2Network Standard()
    {
        var net = new Ec2Network();
        net.AddGroup("sg-0web00000000000a1", "web", Vpc);
        net.AddGroup("sg-0ssh00000000000a3", "ssh-from-bastion", Vpc);
        net.AddGroup("sg-0db000000000000a2", "db", Vpc);
        net.AddInstance("i-0a1b2c3d4e5f60001", "web-1", ["sg-0web00000000000a1 sg-0ssh00000000000a3", "sg-0web00000000000a1"], "Environment=prod");
        net.AddInstance("i-0a1b2c3d4e5f60002", "web-2", ["sg-0web00000000000a1 sg-0ssh00000000000a3"], "Environment=prod");
        net.AddInstance("i-0a1b2c3d4e5f64f2a", "db-1", ["sg-0db000000000000a2"], "Environment=prod");
        return net;
    }

    public FakeGroup AddGroup(string id, string name, string vpc, params string[] tags)
    {
        var g = new FakeGroup(id, name, vpc);
        g.Egress.Add(DefaultEgress());
        foreach (var t in tags) g.Tags[t[..t.IndexOf('=', StringComparison.Ordinal)]] = t[(t.IndexOf('=', StringComparison.Ordinal) + 1)..];
        Groups[id] = g;
        return g;
    }

    /// <summary>Adds an instance; each interface is given as its space-separated group ids.</summary>
    public FakeInstance AddInstance(string id, string name, string[] interfaceGroups, params string[] tags)
    {
        var instance = new FakeInstance(id, Vpc);
        instance.Tags["Name"] = name;
        foreach (var t in tags) instance.Tags[t[..t.IndexOf('=', StringComparison.Ordinal)]] = t[(t.IndexOf('=', StringComparison.Ordinal) + 1)..];
        for (var n = 0; n < interfaceGroups.Length; n++)
        {
            var eni = new FakeInterface($"eni-{id[2..]}{n}", id, Vpc, n) { Groups = [.. interfaceGroups[n].Split(' ')] };
            Interfaces[eni.Id] = eni;
            instance.InterfaceIds.Add(eni.Id);
        }
        instance.Volumes.Add("vol-" + id[2..]);
        Instances[id] = instance;
        return instance;
    }

    /// <summary>Makes calls of an operation fail (a number of times, or always) with an EC2 error code.</summary>
    public void Fail(string operation, string code = "UnauthorizedOperation", Func<AmazonWebServiceRequest, bool>? when = null, int times = int.MaxValue)
    {
        var status = code switch
        {
            "UnauthorizedOperation" => HttpStatusCode.Forbidden,
            "RequestLimitExceeded" => HttpStatusCode.ServiceUnavailable,
            "InternalError" or "InternalFailure" => HttpStatusCode.InternalServerError,
            _ => HttpStatusCode.BadRequest,
        };
        Fail(operation, () => Error(code, status), when, times);
    }

    /// <summary>Makes calls of an operation throw what <paramref name="fault"/> makes (a time-out, say).</summary>
    public void Fail(string operation, Func<Exception> fault, Func<AmazonWebServiceRequest, bool>? when = null, int times = int.MaxValue)
    {
        lock (_gate) _failures.Add((operation, when ?? (_ => true), fault, times));
    }

    /// <summary>Stops all failures.</summary>
    public void Heal()
    {
        lock (_gate) _failures.Clear();
    }

    public FakeInstance Instance(string id) => Instances.TryGetValue(id, out var i) ? i : throw Error("InvalidInstanceID.NotFound");

    public FakeGroup Group(string id) => Groups.TryGetValue(id, out var g) ? g : throw Error("InvalidGroup.NotFound");

    /// <summary>The current groups of each interface of an instance, in device order.</summary>
    public List<List<string>> GroupsOf(string instanceId) => Instance(instanceId).InterfaceIds.Select(e => Interfaces[e].Groups.ToList()).ToList();

    /// <summary>The groups the skill created in the VPC, by role tag.</summary>
    public FakeGroup? SkillGroup(string role) => Groups.Values.FirstOrDefault(g => g.Tags.GetValueOrDefault("SecurityAlexa:GroupRole") == role);

    public static IpPermission DefaultEgress() => new() { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] };

    private void Handle<TRequest, TResponse>(string operation, Action<Mock<IAmazonEC2>, Func<TRequest, CancellationToken, Task<TResponse>>> setup, Func<TRequest, TResponse> answer)
        where TRequest : AmazonWebServiceRequest
    {
        setup(Mock, async (request, _) =>
        {
            lock (_gate) Calls.Add((operation, request));
            if (OnCall is { } hook) await hook(operation, request);
            lock (_gate)
            {
                for (var i = 0; i < _failures.Count; i++)
                {
                    var f = _failures[i];
                    if (f.Operation != operation || !f.When(request) || f.Times <= 0) continue;
                    _failures[i] = f with { Times = f.Times - 1 };
                    var fault = f.Fault();
                    if (fault is AmazonServiceException service) service.RequestId ??= NextRequestId();
                    throw fault;
                }
                var response = answer(request);
                // A request id on every answer, as EC2 gives, so the audit trail can be checked.
                if (response is AmazonWebServiceResponse web) web.ResponseMetadata ??= new ResponseMetadata { RequestId = NextRequestId() };
                return response;
            }
        });
    }

    private DescribeInstancesResponse DescribeInstances(DescribeInstancesRequest r)
    {
        var found = Instances.Values.Where(i => (r.InstanceIds is null || r.InstanceIds.Count == 0 || r.InstanceIds.Contains(i.Id)) && (r.Filters ?? []).All(f => f.Name switch
        {
            "instance-id" => f.Values.Contains(i.Id),
            "instance-state-name" => f.Values.Contains(i.State),
            "tag-key" => f.Values.Any(i.Tags.ContainsKey),
            var n when n.StartsWith("tag:", StringComparison.Ordinal) => i.Tags.TryGetValue(n[4..], out var v) && f.Values.Contains(v),
            _ => throw new InvalidOperationException("Unexpected filter " + f.Name),
        })).ToList();
        // EC2 gives null, not an empty list, when nothing matches.
        return new DescribeInstancesResponse { Reservations = found.Count == 0 ? null : found.Select(i => new Reservation { Instances = [ToSdk(i)] }).ToList() };
    }

    private DescribeTagsResponse DescribeTags(DescribeTagsRequest r)
    {
        var tags = Instances.Values.SelectMany(i => i.Tags.Select(t => new TagDescription { ResourceId = i.Id, ResourceType = "instance", Key = t.Key, Value = t.Value })).ToList();
        return new DescribeTagsResponse { Tags = tags.Count == 0 ? null : tags };
    }

    private DescribeNetworkInterfacesResponse DescribeInterfaces(DescribeNetworkInterfacesRequest r)
    {
        var ids = (r.Filters ?? []).Single(f => f.Name == "attachment.instance-id").Values;
        var found = Interfaces.Values.Where(e => ids.Contains(e.InstanceId)).Select(e => new NetworkInterface
        {
            NetworkInterfaceId = e.Id,
            VpcId = e.Vpc,
            Groups = e.Groups.Select(g => new GroupIdentifier { GroupId = g, GroupName = Groups.GetValueOrDefault(g)?.Name }).ToList(),
            TagSet = e.Tags.Count == 0 ? null : e.Tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
            Attachment = new NetworkInterfaceAttachment { InstanceId = e.InstanceId, DeviceIndex = e.DeviceIndex },
        }).ToList();
        return new DescribeNetworkInterfacesResponse { NetworkInterfaces = found.Count == 0 ? null : found };
    }

    private CreateTagsResponse CreateTags(CreateTagsRequest r)
    {
        foreach (var id in r.Resources)
        {
            var tags = TagsOf(id);
            foreach (var t in r.Tags) tags[t.Key] = t.Value ?? "";
        }
        return new CreateTagsResponse();
    }

    private DeleteTagsResponse DeleteTags(DeleteTagsRequest r)
    {
        foreach (var id in r.Resources)
        {
            var tags = TagsOf(id);
            foreach (var t in r.Tags)
            {
                if (t.Value is null || (tags.TryGetValue(t.Key, out var v) && v == t.Value)) tags.Remove(t.Key);
            }
        }
        return new DeleteTagsResponse();
    }

    private ModifyNetworkInterfaceAttributeResponse ModifyInterface(ModifyNetworkInterfaceAttributeRequest r)
    {
        var eni = Interfaces.TryGetValue(r.NetworkInterfaceId, out var e) ? e : throw Error("InvalidNetworkInterfaceID.NotFound");
        foreach (var g in r.Groups) _ = Group(g);
        eni.Groups = [.. r.Groups];
        return new ModifyNetworkInterfaceAttributeResponse();
    }

    private DescribeSecurityGroupsResponse DescribeGroups(DescribeSecurityGroupsRequest r)
    {
        var found = Groups.Values.Where(g => (r.Filters ?? []).All(f => f.Name switch
        {
            "vpc-id" => f.Values.Contains(g.Vpc),
            "tag-key" => f.Values.Any(g.Tags.ContainsKey),
            "group-name" => f.Values.Contains(g.Name),
            _ => throw new InvalidOperationException("Unexpected filter " + f.Name),
        })).Select(g => new SecurityGroup
        {
            GroupId = g.Id,
            GroupName = g.Name,
            VpcId = g.Vpc,
            Tags = g.Tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
            IpPermissions = g.Ingress.Count == 0 ? null : [.. g.Ingress],
            IpPermissionsEgress = g.Egress.Count == 0 ? null : [.. g.Egress],
        }).ToList();
        return new DescribeSecurityGroupsResponse { SecurityGroups = found.Count == 0 ? null : found };
    }

    private CreateSecurityGroupResponse CreateGroup(CreateSecurityGroupRequest r)
    {
        if (Groups.Values.Any(g => g.Vpc == r.VpcId && g.Name == r.GroupName)) throw Error("InvalidGroup.Duplicate");
        var id = "sg-0new" + NextHex();
        var tags = (r.TagSpecifications ?? []).SelectMany(s => s.Tags ?? []).Select(t => t.Key + "=" + t.Value).ToArray();
        AddGroup(id, r.GroupName, r.VpcId, tags);
        return new CreateSecurityGroupResponse { GroupId = id };
    }

    private RevokeSecurityGroupEgressResponse RevokeEgress(RevokeSecurityGroupEgressRequest r)
    {
        var g = Group(r.GroupId);
        foreach (var p in r.IpPermissions)
        {
            var match = g.Egress.FirstOrDefault(e => e.IpProtocol == p.IpProtocol
                && (e.Ipv4Ranges ?? []).Select(x => x.CidrIp).SequenceEqual((p.Ipv4Ranges ?? []).Select(x => x.CidrIp))
                && (e.Ipv6Ranges ?? []).Select(x => x.CidrIpv6).SequenceEqual((p.Ipv6Ranges ?? []).Select(x => x.CidrIpv6)));
            if (match is null) throw Error("InvalidPermission.NotFound");
            g.Egress.Remove(match);
        }
        return new RevokeSecurityGroupEgressResponse { Return = true };
    }

    private Dictionary<string, string> TagsOf(string id) =>
        Instances.TryGetValue(id, out var i) ? i.Tags
        : Interfaces.TryGetValue(id, out var e) ? e.Tags
        : Groups.TryGetValue(id, out var g) ? g.Tags
        : id.StartsWith("snap-", StringComparison.Ordinal) ? new Dictionary<string, string>()
        : throw Error("InvalidID");

    private Instance ToSdk(FakeInstance i) => new()
    {
        InstanceId = i.Id,
        VpcId = i.Vpc,
        State = new InstanceState { Name = InstanceStateName.FindValue(i.State) },
        PrivateIpAddress = "10.0.1.11",
        PlatformDetails = "Linux/UNIX",
        Tags = i.Tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
        BlockDeviceMappings = i.Volumes.Select(v => new InstanceBlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new EbsInstanceBlockDevice { VolumeId = v } }).ToList(),
        NetworkInterfaces = i.InterfaceIds.Select(id => Interfaces[id]).Select(e => new InstanceNetworkInterface
        {
            NetworkInterfaceId = e.Id,
            VpcId = e.Vpc,
            Groups = e.Groups.Select(g => new GroupIdentifier { GroupId = g, GroupName = Groups.GetValueOrDefault(g)?.Name }).ToList(),
            Attachment = new InstanceNetworkInterfaceAttachment { DeviceIndex = e.DeviceIndex },
        }).ToList(),
    };

    private string NextRequestId() => "ec2-" + (++_requests).ToString("D4", CultureInfo.InvariantCulture);

    private string NextHex() => (++_next).ToString("x", CultureInfo.InvariantCulture).PadLeft(13, '0');

    private static AmazonEC2Exception Error(string code, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new("fake EC2 error " + code) { ErrorCode = code, StatusCode = status };
}

public sealed class FakeInstance(string id, string vpc)
{
    public string Id { get; } = id;
    public string Vpc { get; } = vpc;
    public string State { get; set; } = "running";
    public bool Protected { get; set; }
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    public List<string> InterfaceIds { get; } = [];
    public List<string> Volumes { get; } = [];
}

public sealed class FakeInterface(string id, string instanceId, string vpc, int deviceIndex)
{
    public string Id { get; } = id;
    public string InstanceId { get; } = instanceId;
    public string Vpc { get; } = vpc;
    public int DeviceIndex { get; } = deviceIndex;
    public List<string> Groups { get; set; } = [];
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}

public sealed class FakeGroup(string id, string name, string vpc)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public string Vpc { get; } = vpc;
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    public List<IpPermission> Ingress { get; } = [];
    public List<IpPermission> Egress { get; } = [];
}
