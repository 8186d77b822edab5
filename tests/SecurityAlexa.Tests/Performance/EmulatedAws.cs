using System.Collections.Concurrent;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// A small AWS API emulator on loopback, speaking EC2's query/XML protocol and Systems Manager's JSON protocol,
/// for the real SDK clients: three running instances tagged Environment=prod (web-1, web-2, db-1), one network
/// interface each, the VPC's isolation groups already made, every agent online, and Parameter Store as the
/// security layer uses it. The clients it hands out send every request through <see cref="DelayingHandler"/>,
/// so AWS answers late in real time. Dispose it: it owns a server.
/// </summary>
public sealed class EmulatedAws : IDisposable
{
    public const string Vpc = "vpc-0a11prod";
    public const string IsolationGroupId = "sg-0150000000000a0b1", AllowAllGroupId = "sg-0a11000000000a0b2", WebGroupId = "sg-0web00000000000a1";
    private const string Ec2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private readonly WireMockServer _server = FakeAws.Server();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, string>> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _groupsOfInterface = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _protected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _calls = new();

    public EmulatedAws()
    {
        foreach (var (id, name) in Instances)
        {
            _tags[id] = new(StringComparer.Ordinal) { ["Name"] = name, ["Environment"] = "prod" };
            _tags[Eni(id)] = new(StringComparer.Ordinal);
            _groupsOfInterface[Eni(id)] = [WebGroupId];
            _protected[id] = false;
        }
        _server.Given(Request.Create().WithPath(new RegexMatcher(".*")).UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(Respond));
    }

    public static IReadOnlyList<(string Id, string Name)> Instances { get; } =
        [("i-0a1b2c3d4e5f60001", "web-1"), ("i-0a1b2c3d4e5f60002", "web-2"), ("i-0a1b2c3d4e5f64f2a", "db-1")];

    public static string Eni(string instanceId) => "eni-" + instanceId[2..] + "0";

    /// <summary>Every call as "service:Operation", in the order it arrived.</summary>
    public IReadOnlyList<string> Calls => _calls.ToArray();

    /// <summary>The security groups of an interface now.</summary>
    public IReadOnlyList<string> GroupsOf(string interfaceId) { lock (_gate) return [.. _groupsOfInterface[interfaceId]]; }

    public IReadOnlyDictionary<string, string> TagsOf(string resourceId) { lock (_gate) return new Dictionary<string, string>(_tags[resourceId]); }

    public bool IsProtected(string instanceId) { lock (_gate) return _protected[instanceId]; }

    /// <summary>The real EC2 client, pointed at the emulator, every request <paramref name="delay"/> late.</summary>
    public IAmazonEC2 Ec2(TimeSpan delay) => new AmazonEC2Client(FakeAws.Credentials, new AmazonEC2Config
    {
        ServiceURL = _server.Urls[0],
        AuthenticationRegion = FakeAws.Region,
        Timeout = TimeSpan.FromSeconds(5),
        HttpClientFactory = new DelayingHttpClientFactory(delay),
    });

    /// <summary>The real Systems Manager client, pointed at the emulator, every request <paramref name="delay"/> late.</summary>
    public IAmazonSimpleSystemsManagement Ssm(TimeSpan delay) => new AmazonSimpleSystemsManagementClient(FakeAws.Credentials, new AmazonSimpleSystemsManagementConfig
    {
        ServiceURL = _server.Urls[0],
        AuthenticationRegion = FakeAws.Region,
        Timeout = TimeSpan.FromSeconds(5),
        HttpClientFactory = new DelayingHttpClientFactory(delay),
    });

    public void Dispose() => _server.Dispose();

    private ResponseMessage Respond(IRequestMessage request)
    {
        var target = request.Headers?.FirstOrDefault(h => string.Equals(h.Key, "X-Amz-Target", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (target is not null)
        {
            var operation = target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..];
            _calls.Enqueue("ssm:" + operation);
            return Ssm(operation, JsonNode.Parse(string.IsNullOrEmpty(request.Body) ? "{}" : request.Body)!.AsObject());
        }
        var form = (request.Body ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "", StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? "?";
        _calls.Enqueue("ec2:" + action);
        lock (_gate) return Ec2(action, form);
    }

    // ---- EC2 (query protocol in, XML out) ----

    private ResponseMessage Ec2(string action, Dictionary<string, string> form)
    {
        var body = new StringBuilder();
        switch (action)
        {
            case "DescribeTags":
                body.Append("<tagSet>");
                foreach (var (id, _) in Instances)
                    foreach (var (k, v) in _tags[id])
                        body.Append("<item><resourceId>").Append(id).Append("</resourceId><resourceType>instance</resourceType>").Append(KeyValue(k, v)).Append("</item>");
                body.Append("</tagSet>");
                break;
            case "DescribeInstances":
                body.Append("<reservationSet>");
                foreach (var (id, _) in Instances.Where(i => Matches(form, i.Id, _tags[i.Id])))
                {
                    body.Append("<item><reservationId>r-").Append(id[2..]).Append("</reservationId><ownerId>111122223333</ownerId><instancesSet><item><instanceId>").Append(id)
                        .Append("</instanceId><instanceState><code>16</code><name>running</name></instanceState><vpcId>").Append(Vpc)
                        .Append("</vpcId><privateIpAddress>10.0.0.1</privateIpAddress><platformDetails>Linux/UNIX</platformDetails><networkInterfaceSet><item><networkInterfaceId>")
                        .Append(Eni(id)).Append("</networkInterfaceId><attachment><deviceIndex>0</deviceIndex></attachment>").Append(GroupSet(_groupsOfInterface[Eni(id)]))
                        .Append("</item></networkInterfaceSet>").Append(TagSet(_tags[id])).Append("</item></instancesSet></item>");
                }
                body.Append("</reservationSet>");
                break;
            case "DescribeNetworkInterfaces":
                body.Append("<networkInterfaceSet>");
                foreach (var (id, _) in Instances.Where(i => Values(form, "attachment.instance-id").Contains(i.Id)))
                {
                    body.Append("<item><networkInterfaceId>").Append(Eni(id)).Append("</networkInterfaceId><vpcId>").Append(Vpc).Append("</vpcId><status>in-use</status><attachment><instanceId>")
                        .Append(id).Append("</instanceId><deviceIndex>0</deviceIndex><status>attached</status></attachment>").Append(GroupSet(_groupsOfInterface[Eni(id)]))
                        .Append(TagSet(_tags[Eni(id)])).Append("</item>");
                }
                body.Append("</networkInterfaceSet>");
                break;
            case "DescribeSecurityGroups":
                body.Append("<securityGroupInfo>")
                    .Append(Group(IsolationGroupId, IsolationRecord.GroupName(IsolationRecord.IsolationRole, Vpc), IsolationRecord.IsolationRole, open: false))
                    .Append(Group(AllowAllGroupId, IsolationRecord.GroupName(IsolationRecord.AllowAllRole, Vpc), IsolationRecord.AllowAllRole, open: true))
                    .Append("</securityGroupInfo>");
                break;
            case "DescribeInstanceAttribute":
                var asked = form["InstanceId"];
                body.Append("<instanceId>").Append(asked).Append("</instanceId><disableApiTermination><value>").Append(_protected[asked] ? "true" : "false").Append("</value></disableApiTermination>");
                break;
            case "ModifyInstanceAttribute":
                _protected[form["InstanceId"]] = form.GetValueOrDefault("DisableApiTermination.Value") == "true";
                body.Append("<return>true</return>");
                break;
            case "ModifyNetworkInterfaceAttribute":
                _groupsOfInterface[form["NetworkInterfaceId"]] = Numbered(form, "SecurityGroupId.");
                body.Append("<return>true</return>");
                break;
            case "CreateTags":
            case "DeleteTags":
                foreach (var resource in Numbered(form, "ResourceId."))
                {
                    for (var n = 1; form.TryGetValue($"Tag.{n}.Key", out var key); n++)
                    {
                        if (action == "CreateTags") _tags[resource][key] = form.GetValueOrDefault($"Tag.{n}.Value") ?? "";
                        else _tags[resource].Remove(key);
                    }
                }
                body.Append("<return>true</return>");
                break;
            default:
                return Message(400, "text/xml", $"<Response><Errors><Error><Code>InvalidAction</Code><Message>{action} is not emulated</Message></Error></Errors><RequestID>emulated</RequestID></Response>");
        }
        return Message(200, "text/xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><{action}Response xmlns=\"{Ec2Ns}\"><requestId>emulated</requestId>{body}</{action}Response>");
    }

    private static string Group(string id, string name, string role, bool open) =>
        $"<item><ownerId>111122223333</ownerId><groupId>{id}</groupId><groupName>{name}</groupName><groupDescription>emulated</groupDescription><vpcId>{Vpc}</vpcId>"
        + (open ? "<ipPermissions><item><ipProtocol>-1</ipProtocol><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissions>"
                + "<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissionsEgress>"
                : "<ipPermissions/><ipPermissionsEgress/>")
        + $"<tagSet><item><key>{SkillTags.GroupRole}</key><value>{role}</value></item><item><key>Name</key><value>{name}</value></item></tagSet></item>";

    private static string GroupSet(IEnumerable<string> ids) =>
        "<groupSet>" + string.Concat(ids.Select(g => $"<item><groupId>{g}</groupId><groupName>{GroupName(g)}</groupName></item>")) + "</groupSet>";

    private static string GroupName(string id) => id switch
    {
        IsolationGroupId => IsolationRecord.GroupName(IsolationRecord.IsolationRole, Vpc),
        AllowAllGroupId => IsolationRecord.GroupName(IsolationRecord.AllowAllRole, Vpc),
        _ => "web",
    };

    private static string TagSet(Dictionary<string, string> tags) => "<tagSet>" + string.Concat(tags.Select(t => "<item>" + KeyValue(t.Key, t.Value) + "</item>")) + "</tagSet>";

    private static string KeyValue(string key, string value) => $"<key>{SecurityElement.Escape(key)}</key><value>{SecurityElement.Escape(value)}</value>";

    private static List<string> Numbered(Dictionary<string, string> form, string prefix)
    {
        var values = new List<string>();
        for (var n = 1; form.TryGetValue(prefix + n, out var v); n++) values.Add(v);
        return values;
    }

    private static HashSet<string> Values(Dictionary<string, string> form, string filterName)
    {
        for (var n = 1; form.TryGetValue($"Filter.{n}.Name", out var name); n++)
            if (name == filterName) return [.. Numbered(form, $"Filter.{n}.Value.")];
        return [];
    }

    // The filters the skill sends: tag:K, tag-key, instance-id, instance-state-name.
    private static bool Matches(Dictionary<string, string> form, string id, Dictionary<string, string> tags)
    {
        for (var n = 1; form.TryGetValue($"Filter.{n}.Name", out var name); n++)
        {
            var values = Numbered(form, $"Filter.{n}.Value.");
            var ok = name switch
            {
                "instance-id" => values.Contains(id),
                "instance-state-name" => values.Contains("running"),
                "tag-key" => values.Any(tags.ContainsKey),
                _ when name.StartsWith("tag:", StringComparison.Ordinal) => tags.TryGetValue(name[4..], out var v) && values.Contains(v),
                _ => true,
            };
            if (!ok) return false;
        }
        var ids = Numbered(form, "InstanceId.");
        return ids.Count == 0 || ids.Contains(id);
    }

    // ---- Systems Manager (JSON 1.1) ----

    private ResponseMessage Ssm(string operation, JsonObject body)
    {
        switch (operation)
        {
            case "PutParameter":
                var name = (string)body["Name"]!;
                lock (_gate)
                {
                    if (body["Overwrite"]?.GetValue<bool>() != true && _parameters.ContainsKey(name))
                        return Message(400, "application/x-amz-json-1.1", """{"__type":"ParameterAlreadyExists","message":"exists"}""");
                    _parameters[name] = (string?)body["Value"] ?? "";
                }
                return Json("""{"Version":1,"Tier":"Standard"}""");
            case "GetParameter":
                lock (_gate)
                {
                    return _parameters.TryGetValue((string)body["Name"]!, out var value)
                        ? Json(new JsonObject { ["Parameter"] = new JsonObject { ["Name"] = (string)body["Name"]!, ["Value"] = value, ["Type"] = "String", ["Version"] = 1 } }.ToJsonString())
                        : Message(400, "application/x-amz-json-1.1", """{"__type":"ParameterNotFound","message":"none"}""");
                }
            case "DeleteParameter":
                lock (_gate) _parameters.Remove((string)body["Name"]!);
                return Json("{}");
            case "DescribeInstanceInformation":
                var list = new JsonArray();
                foreach (var (id, _) in Instances)
                    list.Add(new JsonObject { ["InstanceId"] = id, ["PingStatus"] = "Online", ["PlatformType"] = "Linux", ["PlatformName"] = "Amazon Linux", ["PlatformVersion"] = "2023", ["ResourceType"] = "EC2Instance" });
                return Json(new JsonObject { ["InstanceInformationList"] = list }.ToJsonString());
            case "DescribePatchGroups":
                return Json("""{"Mappings":[]}""");
            case "GetDefaultPatchBaseline":
                return Json("""{"BaselineId":"arn:aws:ssm:us-east-1:111122223333:patchbaseline/pb-0e1a2b3c4d5e6f708","OperatingSystem":"AMAZON_LINUX_2023"}""");
            default:
                return Message(400, "application/x-amz-json-1.1", $$"""{"__type":"InvalidAction","message":"{{operation}} is not emulated"}""");
        }
    }

    private static ResponseMessage Json(string body) => Message(200, "application/x-amz-json-1.1", body);

    private static ResponseMessage Message(int status, string contentType, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new(contentType),
            ["x-amzn-RequestId"] = new(Guid.NewGuid().ToString()),
        },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };
}

/// <summary>Hands the SDK an HttpClient whose every request waits <paramref name="delay"/> of real time before it is sent.</summary>
public sealed class DelayingHttpClientFactory(TimeSpan delay) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new DelayingHandler(delay) { InnerHandler = new SocketsHttpHandler { UseProxy = false } }) { Timeout = Timeout.InfiniteTimeSpan };

    // Each client gets its own HttpClient, so that one test's delay is not shared through the SDK's cache.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
}

/// <summary>AWS answering late, in real time: every request waits before it goes out (cancellation cuts the wait short).</summary>
public sealed class DelayingHandler(TimeSpan delay) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
