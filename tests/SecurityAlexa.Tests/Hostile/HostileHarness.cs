using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.State;
using SecurityAlexa.Tests.State;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// One "container" of the function, built through the real entry point with the real capability handlers
/// (registered by SkillModules) over the ports <see cref="AwsServices.Create(SkillConfig, AwsClients, SignedJsonOptions?)"/>
/// builds from strict SDK mocks and a loopback HTTP server:
/// EC2 is <see cref="Ec2Network"/> (instances, interfaces, groups, tags; every change recorded); SSM is
/// <see cref="FakeSsm"/> (Parameter Store, for the security code) with <see cref="SsmPatchFake"/>'s
/// patching calls on the same mock; the state table is <see cref="FakeDynamoDb"/>; inspector2 and CloudWatch
/// Logs are <see cref="FakeHttpAws"/>. Several harnesses can share one FakeSsm, FakeDynamoDb and clock to play
/// several Lambda containers. Dispose it: it owns a server.
/// </summary>
internal sealed class HostileHarness : IDisposable
{
    public const string SecurityCode = "8086";
    public const string CodeParameter = "/securityalexa/security-code";

    /// <summary>The pepper the function is configured with (SECURITY_CODE_PEPPER), as the stack's secret would hold it.</summary>
    public const string Pepper = "test-pepper-0123456789abcdef";

    /// <summary>What hash-code stores for a code: its peppered hash, encrypted under the stack's key.</summary>
    public string StoredCode(string code, string pepper = Pepper) =>
        Ssm.Kms.Encrypt(SecurityCodeHash.Create(code, pepper, 1_000), SecurityCodeHash.EncryptionContext);

    /// <summary>The instance that is already isolated when the harness starts, so that release has something to undo.</summary>
    public const string Isolated = "web-2";

    /// <summary>The original groups of web-2's interface, as its isolation record holds them.</summary>
    public static readonly string[] IsolatedOriginals = ["sg-0web00000000000a1", "sg-0ssh00000000000a3"];

    public const string IsolationGroupId = "sg-0150000000000a0b1", AllowAllGroupId = "sg-0a11000000000a0b2";

    public HostileHarness(IReadOnlyDictionary<string, string>? environment = null, FakeSsm? sharedSsm = null, FakeTimeProvider? sharedTime = null,
        Func<SkillConfig, SkillConfig>? configure = null, IReadOnlyList<IRequestHandler>? extraHandlers = null, string ec2Scanning = "DISABLED",
        FakeDynamoDb? sharedState = null)
    {
        Time = sharedTime ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        Ssm = sharedSsm ?? new FakeSsm(Time);
        State = sharedState ?? new FakeDynamoDb();
        if (sharedSsm is null) Ssm.SetSecure(CodeParameter, StoredCode(SecurityCode));
        Net = BuildFleet(Time.GetUtcNow());
        // A shared FakeSsm already carries the patching setups of the harness that made it.
        Patches = sharedSsm?.Patching ?? new SsmPatchFake(Ssm.Mock).Online([.. Fleet.Select(f => f.Id)]);
        Ssm.Patching ??= Patches;
        Patches.Now = Time.GetUtcNow();
        Http = new FakeHttpAws(ec2Scanning);

        // Services without an SDK client (inspector2, CloudWatch Logs) go to the loopback server; anything else to a closed port.
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
            ["STATE_TABLE"] = FakeDynamoDb.DefaultTable,
            ["SECURITY_CODE_KMS_KEY"] = FakeKms.KeyArn,
            ["SECURITY_CODE_PEPPER"] = Pepper,
            // These suites assert each action's exact answer; tickets have their own tests (Tickets/).
            ["TICKETS"] = "off",
            ["AWS_ENDPOINT_URL_" + AwsService.Inspector2.EndpointEnvironmentSuffix] = Http.Url,
            ["AWS_ENDPOINT_URL_" + AwsService.CloudWatchLogs.EndpointEnvironmentSuffix] = Http.Url,
            ["AWS_ENDPOINT_URL_" + AwsService.AutoScaling.EndpointEnvironmentSuffix] = Http.Url,
            ["AWS_ENDPOINT_URL_" + AwsService.ElasticLoadBalancingV2.EndpointEnvironmentSuffix] = Http.Url,
            ["AWS_ENDPOINT_URL_" + AwsService.Iam.EndpointEnvironmentSuffix] = Http.Url,
        };
        if (environment is not null) foreach (var (k, v) in environment) env[k] = v;
        var config = SkillConfig.FromEnvironment(env);
        var services = AwsServices.Create(config, new AwsClients("us-east-1", Net.Client, Ssm.Mock.Object, State.Client,
            kms: Ssm.Kms.Mock.Object), FakeAws.NoDelay);
        // The table remembers what the skill created and isolated before (web-2, a day ago), as the fleet's tags do.
        if (sharedState is null)
        {
            SeedTable(services.State!, Net, Time.GetUtcNow());
            // Tests count the calls the skill makes, not the seeding.
            State.Mock.Invocations.Clear();
        }
        Driver = new SkillDriver(services, configure, Time, env, extraHandlers: extraHandlers);
    }

    public FakeTimeProvider Time { get; }

    public FakeSsm Ssm { get; }

    /// <summary>The state table (claims, wrong codes, lockouts), at the SDK edge.</summary>
    public FakeDynamoDb State { get; }

    /// <summary>The EC2 account: instances, interfaces, security groups, tags.</summary>
    public Ec2Network Net { get; }

    /// <summary>The strict EC2 mock behind <see cref="Net"/>.</summary>
    public Mock<IAmazonEC2> Ec2 => Net.Mock;

    /// <summary>Systems Manager's patching side, on the same mock as <see cref="Ssm"/>.</summary>
    public SsmPatchFake Patches { get; }

    /// <summary>inspector2 and CloudWatch Logs.</summary>
    public FakeHttpAws Http { get; }

    public SkillDriver Driver { get; }

    /// <summary>The fleet: three prod, two staging, five in team payments (to go over the count threshold).</summary>
    public static IReadOnlyList<(string Id, string Name, string Env, string Team)> Fleet { get; } =
    [
        ("i-0a1b2c3d4e5f60001", "web-1", "prod", "web"),
        ("i-0a1b2c3d4e5f60002", "web-2", "prod", "web"),
        ("i-0a1b2c3d4e5f64f2a", "db-1", "prod", "data"),
        ("i-0c3d4e5f6a7b80004", "web-3", "staging", "web"),
        ("i-0c3d4e5f6a7b80005", "api-1", "staging", "api"),
        ("i-0f00000000000a001", "pay-1", "prod", "payments"),
        ("i-0f00000000000a002", "pay-2", "prod", "payments"),
        ("i-0f00000000000a003", "pay-3", "prod", "payments"),
        ("i-0f00000000000a004", "pay-4", "prod", "payments"),
        ("i-0f00000000000a005", "pay-5", "prod", "payments"),
    ];

    public static string IdOf(string name) => Fleet.Single(f => f.Name == name).Id;

    /// <summary>The network interface ids of an instance, in device order (web-1 has two, the others one).</summary>
    public IReadOnlyList<string> InterfacesOf(string name) => Net.Instance(IdOf(name)).InterfaceIds;

    /// <summary>The mutating EC2 calls of one operation ("ModifyNetworkInterfaceAttribute").</summary>
    public IReadOnlyList<T> Changes<T>() where T : AmazonWebServiceRequest =>
        Net.MutatingCalls.Select(c => c.Request).OfType<T>().ToList();

    public void Dispose() => Http.Dispose();

    /// <summary>
    /// Every SDK call that could change the account: anything but reads (the security layer's own
    /// state table is not the account, and is not counted).
    /// </summary>
    public IReadOnlyList<string> MutatingCalls
    {
        get
        {
            var calls = new List<string>();
            foreach (var invocation in Ec2.Invocations.Concat(Ssm.Mock.Invocations))
            {
                var method = invocation.Method.Name;
                if (IsRead(method)) continue;
                calls.Add(method + Describe(invocation.Arguments));
            }
            calls.AddRange(Http.MutatingCalls.Select(c => "POST " + c.Path + " (" + c.Operation + ")"));
            return calls;
        }
    }

    /// <summary>Instance ids that mutating calls touched, each once, in the order first touched (tag-targeted commands expanded).</summary>
    public IReadOnlyList<string> TouchedInstances =>
        Ec2.Invocations.Concat(Ssm.Mock.Invocations)
            .Where(i => !IsRead(i.Method.Name))
            .SelectMany(i => i.Arguments).SelectMany(InstancesIn).Distinct(StringComparer.Ordinal).ToList();

    private IEnumerable<string> InstancesIn(object? argument) => argument switch
    {
        ModifyNetworkInterfaceAttributeRequest m => [Net.Interfaces[m.NetworkInterfaceId].InstanceId],
        ModifyInstanceAttributeRequest m => [m.InstanceId],
        CreateTagsRequest t => InstancesAmong(t.Resources),
        DeleteTagsRequest t => InstancesAmong(t.Resources),
        CreateSnapshotsRequest c => [c.InstanceSpecification.InstanceId],
        SendCommandRequest c when c.InstanceIds is { Count: > 0 } ids => ids,
        SendCommandRequest c => TaggedWith(c.Targets),
        _ => [],
    };

    private IEnumerable<string> InstancesAmong(IEnumerable<string>? resources) =>
        (resources ?? []).Select(r => Net.Instances.ContainsKey(r) ? r : Net.Interfaces.TryGetValue(r, out var eni) ? eni.InstanceId : null)
            .Where(id => id is not null).Select(id => id!);

    private IEnumerable<string> TaggedWith(List<Amazon.SimpleSystemsManagement.Model.Target>? targets) =>
        Net.Instances.Values.Where(i => (targets ?? []).All(t => t.Key.StartsWith("tag:", StringComparison.Ordinal)
            && i.Tags.TryGetValue(t.Key[4..], out var v) && t.Values.Contains(v))).Select(i => i.Id);

    /// <summary>The three things every hostile case asserts.</summary>
    public void AssertSafe(AlexaReply reply)
    {
        AssertWellFormedWithSpeech(reply);
        Assert.True(MutatingCalls.Count == 0, "Mutating AWS calls were made: " + string.Join("; ", MutatingCalls));
        AssertNoException();
    }

    /// <summary>No handler or dispatcher failure was logged (the pipeline turns exceptions into speech, so the log is the witness).</summary>
    public void AssertNoException() =>
        Assert.DoesNotContain(Driver.Log.Lines, l => l.Contains("\"kind\":\"handler.failed\"") || l.Contains("\"kind\":\"dispatcher.failed\""));

    /// <summary>A valid Alexa response within the limits, with one clear spoken sentence in valid SSML.</summary>
    public static void AssertWellFormedWithSpeech(AlexaReply reply)
    {
        Assert.Equal("1.0", (string?)reply.Root["version"]);
        Assert.NotNull(reply.Response);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(reply.Json) <= 24 * 1024, "response over 24 KB");
        var speech = reply.Response!["outputSpeech"] as JsonObject;
        Assert.NotNull(speech);
        if ((string?)speech!["type"] == "SSML")
        {
            var ssml = (string)speech["ssml"]!;
            Assert.StartsWith("<speak>", ssml);
            var doc = XDocument.Parse(ssml); // throws on injected or broken markup
            Assert.Equal("speak", doc.Root!.Name.LocalName);
        }
        var text = reply.Speech;
        Assert.InRange(text.Length, 10, 8000);
        Assert.Matches(@"[A-Za-z]{2,}.*[.?!]$", text);
        if (reply.EndsSession == false)
            Assert.True(reply.Reprompt.Length > 0 || reply.Directives.Count > 0, "an open session needs a reprompt or a dialog directive");
    }

    /// <summary>A request from the allowed test speaker.</summary>
    public static AlexaRequests Say(string intent, params (string Name, string? Value)[] slots) => AlexaRequests.Intent(intent, slots);

    /// <summary>The instance a change intent's cases are aimed at: one it reads back (release needs an isolated one).</summary>
    public static string SubjectFor(string intent) => intent == "ReleaseIntent" ? Isolated : "web-1";

    /// <summary>Asserts that web-1's interfaces were moved, each through the allow-all group to the isolation group.</summary>
    public void AssertWeb1Isolated()
    {
        var moves = Changes<ModifyNetworkInterfaceAttributeRequest>().Select(m => (m.NetworkInterfaceId, string.Join(" ", m.Groups))).ToList();
        var expected = InterfacesOf("web-1").SelectMany(eni => new[] { (eni, AllowAllGroupId), (eni, IsolationGroupId) }).ToList();
        Assert.Equal(expected.Order(), moves.Order());
        Assert.Equal([IdOf("web-1")], TouchedInstances);
    }

    /// <summary>Runs the read-back turn of a change and returns the session attributes it produced.</summary>
    public async Task<JsonObject> ReadBackAsync(string intent, string instanceName)
    {
        Driver.EndSession();
        var reply = await Driver.SayAsync(Say(intent, ("InstanceName", instanceName)));
        Assert.Contains(reply.DirectiveTypes, t => t is "Dialog.ConfirmIntent" or "Dialog.ElicitSlot");
        return reply.SessionAttributes!;
    }

    /// <summary>The "yes" to a read-back: the same intent, CONFIRMED, with the attributes the skill returned.</summary>
    public static AlexaRequests Confirm(string intent, string instanceName, JsonObject attributes) =>
        Say(intent, ("InstanceName", instanceName)).Confirmation("CONFIRMED").InSession(attributes);

    // The fleet in one VPC: web-1 has two interfaces; web-2 was isolated by the skill a day ago (its groups,
    // record and marker as the isolator writes them), so that release has something to undo.
    private static Ec2Network BuildFleet(DateTimeOffset now)
    {
        var net = new Ec2Network();
        net.AddGroup("sg-0web00000000000a1", "web", Ec2Network.Vpc);
        net.AddGroup("sg-0ssh00000000000a3", "ssh-from-bastion", Ec2Network.Vpc);
        net.AddGroup("sg-0db000000000000a2", "db", Ec2Network.Vpc);
        net.AddGroup("sg-0app00000000000a4", "app", Ec2Network.Vpc);
        var isolation = net.AddGroup(IsolationGroupId, IsolationRecord.GroupName(IsolationRecord.IsolationRole, Ec2Network.Vpc), Ec2Network.Vpc,
            SkillTags.GroupRole + "=" + IsolationRecord.IsolationRole);
        isolation.Egress.Clear();
        var allowAll = net.AddGroup(AllowAllGroupId, IsolationRecord.GroupName(IsolationRecord.AllowAllRole, Ec2Network.Vpc), Ec2Network.Vpc,
            SkillTags.GroupRole + "=" + IsolationRecord.AllowAllRole);
        allowAll.Ingress.Add(new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }], Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }] });
        allowAll.Egress.Add(new IpPermission { IpProtocol = "-1", Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }] });

        foreach (var (id, name, env, team) in Fleet)
        {
            string[] interfaces = name switch
            {
                "web-1" => ["sg-0web00000000000a1 sg-0ssh00000000000a3", "sg-0web00000000000a1"],
                "web-2" => [string.Join(' ', IsolatedOriginals)],
                "db-1" => ["sg-0db000000000000a2"],
                _ => ["sg-0app00000000000a4"],
            };
            net.AddInstance(id, name, interfaces, "environment=" + env, "team=" + team);
        }

        var web2 = net.Instance(IdOf(Isolated));
        var eni = net.Interfaces[web2.InterfaceIds[0]];
        eni.Groups = [IsolationGroupId];
        foreach (var (k, v) in IsolationRecord.ForInterface(IsolatedOriginals)) eni.Tags[k] = v;
        web2.Tags[SkillTags.IsolatedAt] = IsolationRecord.FormatTime(now.AddDays(-1));
        web2.Tags[IsolationRecord.IsolatedBy] = "speaker:" + IdentityHash.Of(AlexaRequests.PersonId);
        web2.Tags[IsolationRecord.Reason] = "suspicious outbound traffic";
        web2.Tags[IsolationRecord.TerminationProtectionBefore] = "false";
        web2.Protected = true;
        // The VPC's flow logs go to CloudWatch Logs, so "how much traffic was blocked" reaches Logs Insights.
        net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL });
        return net;
    }

    private static void SeedTable(IStateTable table, Ec2Network net, DateTimeOffset now)
    {
        IsolationTables.RecordGroupsAsync(table, Ec2Network.Vpc, IsolationGroupId, AllowAllGroupId, now.AddDays(-2)).GetAwaiter().GetResult();
        var web2 = net.Instance(IdOf(Isolated));
        IsolationSeeds.RecordIsolatedAsync(table, web2.Id, web2.InterfaceIds[0], IsolatedOriginals, protectionBefore: false,
            "speaker:" + IdentityHash.Of(AlexaRequests.PersonId), now.AddDays(-1), "suspicious outbound traffic", IsolationGroupId,
            AllowAllGroupId).GetAwaiter().GetResult();
    }

    private static bool IsRead(string method) =>
        method.StartsWith("Describe", StringComparison.Ordinal) || method.StartsWith("Get", StringComparison.Ordinal)
        || method.StartsWith("List", StringComparison.Ordinal) || method.StartsWith("get_", StringComparison.Ordinal)
        || method is "Dispose" or "DetermineServiceOperationEndpoint";

    private static string Describe(IEnumerable<object?> args) => "(" + string.Join(", ", args.Select(a => a switch
    {
        PutParameterRequest p => p.Name,
        SendCommandRequest s => string.Join(" ", s.InstanceIds ?? []) + string.Join(" ", (s.Targets ?? []).Select(t => t.Key + "=" + string.Join("|", t.Values))),
        ModifyNetworkInterfaceAttributeRequest m => m.NetworkInterfaceId + " -> " + string.Join(" ", m.Groups ?? []),
        ModifyInstanceAttributeRequest m => m.InstanceId,
        CreateTagsRequest t => string.Join(" ", t.Resources ?? []),
        DeleteTagsRequest t => string.Join(" ", t.Resources ?? []),
        CancellationToken => null,
        _ => a?.GetType().Name,
    }).Where(s => s is not null)) + ")";
}
