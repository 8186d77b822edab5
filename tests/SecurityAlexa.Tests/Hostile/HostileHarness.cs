using System.Net;
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
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// One "container" of the function, built through the real entry point over strict SDK mocks:
/// EC2 answers reads from a small fleet and records changes; SSM behaves like Parameter Store
/// (<see cref="FakeSsm"/>) and records SendCommand. Several harnesses can share one FakeSsm and clock
/// to play several Lambda containers.
///
/// AFTER MERGE (the lead): make <see cref="CapabilityHandlers"/> return [] so that the real handlers,
/// registered by SkillModules over the ports AwsServices.Create builds from these same mocks, answer
/// the same cases; add read setups (DescribeNetworkInterfaces, DescribeInstanceInformation, ...) that
/// the real adapters need, and a WireMock inspector2 endpoint whose POSTs to /enable and
/// /cis/scan-configuration/create count as mutating calls.
/// </summary>
public sealed class HostileHarness
{
    public const string SecurityCode = "8086";
    public const string CodeParameter = "/securityalexa/security-code";

    private int _ec2Requests;

    public HostileHarness(IReadOnlyDictionary<string, string>? environment = null, FakeSsm? sharedSsm = null, FakeTimeProvider? sharedTime = null,
        Func<SkillConfig, SkillConfig>? configure = null, IReadOnlyList<IRequestHandler>? extraHandlers = null)
    {
        Time = sharedTime ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        Ssm = sharedSsm ?? new FakeSsm(Time);
        if (sharedSsm is null) Ssm.SetSecure(CodeParameter, SecurityCodeHash.Create(SecurityCode, 1_000));
        SetUpEc2();
        SetUpSsmCommands();

        // Services without an SDK client (inspector2) go to a closed loopback port, never to AWS.
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9" };
        if (environment is not null) foreach (var (k, v) in environment) env[k] = v;
        var config = SkillConfig.FromEnvironment(env);
        var services = AwsServices.Create(config, new AwsClients("us-east-1", Ec2.Object, Ssm.Mock.Object));
        Driver = new SkillDriver(services, configure, Time, env, extraHandlers: [.. extraHandlers ?? [], .. CapabilityHandlers(Ec2.Object, Ssm.Mock.Object)]);
    }

    public FakeTimeProvider Time { get; }

    public FakeSsm Ssm { get; }

    public Mock<IAmazonEC2> Ec2 { get; } = new(MockBehavior.Strict);

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

    /// <summary>The handlers registered before the real ones: the stubs, until the real handlers are merged.</summary>
    public static IReadOnlyList<IRequestHandler> CapabilityHandlers(IAmazonEC2 ec2, IAmazonSimpleSystemsManagement ssm) =>
        StubChangeHandler.All(ec2, ssm);

    /// <summary>
    /// Every SDK call that could change the account: anything but reads, apart from the security
    /// layer's own parameters under /securityalexa/.
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
                if (method is "PutParameterAsync" or "DeleteParameterAsync")
                {
                    var name = invocation.Arguments[0] switch
                    {
                        PutParameterRequest p => p.Name,
                        DeleteParameterRequest d => d.Name,
                        _ => null,
                    };
                    if (name is not null && name.StartsWith("/securityalexa/", StringComparison.Ordinal) && name != CodeParameter) continue;
                }
                calls.Add(method + Describe(invocation.Arguments));
            }
            return calls;
        }
    }

    /// <summary>Instance ids that mutating calls touched.</summary>
    public IReadOnlyList<string> TouchedInstances =>
        Ec2.Invocations.Concat(Ssm.Mock.Invocations).SelectMany(i => i.Arguments).SelectMany(a => a switch
        {
            ModifyNetworkInterfaceAttributeRequest m => ["i-" + m.NetworkInterfaceId[4..]],
            SendCommandRequest s => s.InstanceIds ?? [],
            CreateTagsRequest t => t.Resources ?? [],
            _ => Enumerable.Empty<string>(),
        }).ToList();

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

    private void SetUpEc2()
    {
        Ec2.Setup(e => e.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Stamp(new DescribeInstancesResponse
            {
                Reservations =
                [
                    new Reservation
                    {
                        Instances = Fleet.Select(f => new Instance
                        {
                            InstanceId = f.Id,
                            State = new InstanceState { Name = InstanceStateName.Running },
                            PrivateIpAddress = "10.0.1." + (Fleet.ToList().IndexOf(f) + 10),
                            Tags = [new Amazon.EC2.Model.Tag("Name", f.Name), new Amazon.EC2.Model.Tag("environment", f.Env), new Amazon.EC2.Model.Tag("team", f.Team)],
                        }).ToList(),
                    },
                ],
            }));
        Ec2.Setup(e => e.ModifyNetworkInterfaceAttributeAsync(It.IsAny<ModifyNetworkInterfaceAttributeRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Stamp(new ModifyNetworkInterfaceAttributeResponse()));
        Ec2.Setup(e => e.CreateTagsAsync(It.IsAny<CreateTagsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Stamp(new CreateTagsResponse()));
    }

    private void SetUpSsmCommands() =>
        Ssm.Mock.Setup(s => s.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Stamp(new SendCommandResponse { Command = new Command { CommandId = "00000000-0000-0000-0000-0000000000c1" } }));

    private T Stamp<T>(T response) where T : AmazonWebServiceResponse
    {
        response.ResponseMetadata = new ResponseMetadata { RequestId = $"ec2-{Interlocked.Increment(ref _ec2Requests):D4}" };
        response.HttpStatusCode = HttpStatusCode.OK;
        return response;
    }

    private static bool IsRead(string method) =>
        method.StartsWith("Describe", StringComparison.Ordinal) || method.StartsWith("Get", StringComparison.Ordinal)
        || method.StartsWith("List", StringComparison.Ordinal) || method.StartsWith("get_", StringComparison.Ordinal)
        || method is "Dispose" or "DetermineServiceOperationEndpoint";

    private static string Describe(IEnumerable<object?> args) => "(" + string.Join(", ", args.Select(a => a switch
    {
        PutParameterRequest p => p.Name,
        SendCommandRequest s => string.Join(" ", s.InstanceIds ?? []),
        ModifyNetworkInterfaceAttributeRequest m => m.NetworkInterfaceId,
        CreateTagsRequest t => string.Join(" ", t.Resources ?? []),
        CancellationToken => null,
        _ => a?.GetType().Name,
    }).Where(s => s is not null)) + ")";
}
