using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Patching;
using SecurityAlexa.Skill;
using SecurityAlexa.State;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// The skill with real target resolution and the real SSM adapter over Moq'd EC2 and SSM clients,
/// driven through the real entry point, plus the requests a patch conversation is made of.
/// </summary>
internal sealed class PatchHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("test-session-signing-key-0123456789");

    public const string Web1 = "i-0a1b2c3d4e5f60001", Web2 = "i-0a1b2c3d4e5f60002", Db1 = "i-0a1b2c3d4e5f64f2a",
        Web3 = "i-0c3d4e5f6a7b80004", Api1 = "i-0c3d4e5f6a7b80005", Dev1 = "i-0e5f6a7b8c9d00006";

    public PatchHarness(Ec2Fleet? fleet = null, SsmPatchFake? ssm = null, IReadOnlyDictionary<string, string>? environment = null,
        IVulnerabilityLookup? vulnerabilities = null, ITargetResolver? resolver = null, SecurityAlexa.Notifications.IChatNotifier? chat = null,
        SecurityAlexa.State.IStateTable? state = null)
    {
        Fleet = fleet ?? Ec2Fleet.Standard();
        Table = state ?? new InMemoryStateTable();
        Ssm = ssm ?? new SsmPatchFake().Online(Web1, Web2, Db1, Web3).ConnectionLost(Api1)
            .Group("prod-linux", "pb-0prod", "prod-linux").Group("staging-linux", "pb-0staging", "staging-linux");
        Time = new FakeTimeProvider(Start);
        Resolver = resolver ?? new TargetResolver(new Ec2InstanceDirectory(Fleet.Client), Time);
        Store = NewStore();
        Driver = new SkillDriver(new SkillServices
        {
            Targets = Resolver,
            Patches = new SsmPatchManager(Ssm.Client),
            Vulnerabilities = vulnerabilities,
            Chat = chat,
            State = new FailableTable(Table, () => TableFails),
        }, time: Time, environment: environment, store: Store);
    }

    /// <summary>
    /// The state table (the one given, or one in memory), where this skill's isolation records and the patch-command
    /// references live.
    /// </summary>
    public IStateTable Table { get; }

    /// <summary>When true, every read of the state table fails as a throttled DynamoDB would.</summary>
    public bool TableFails { get; set; }

    /// <summary>
    /// Isolates an instance as this skill does, as far as patching can see: the record in the table, and the IsolatedAt tag
    /// that mirrors it.
    /// </summary>
    public PatchHarness Isolated(string id, string at = "2026-11-29T09:00:00Z", bool tagged = true)
    {
        // tagged: false is an isolation whose tag someone has since taken off; the record is what counts.
        if (tagged) Fleet.Tag(id, SkillTags.IsolatedAt, at);
        var when = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        var entry = new IsolationEntry(id, IsolationEntry.Isolated, 0, [], null, "a test", when, "a test", [], when);
        Assert.NotNull(new IsolationLedger(Table).BeginAsync(entry, Time.GetUtcNow(), CancellationToken.None).GetAwaiter().GetResult());
        return this;
    }

    public Ec2Fleet Fleet { get; }

    public SsmPatchFake Ssm { get; }

    public FakeTimeProvider Time { get; }

    public ITargetResolver Resolver { get; }

    public SessionStore Store { get; }

    public SkillDriver Driver { get; }

    /// <summary>The audit records written so far, as JSON.</summary>
    public List<JsonObject> Audits => Driver.Log.Lines.Select(l => JsonNode.Parse(l)!.AsObject())
        .Where(o => (string?)o["kind"] == "audit").ToList();

    /// <summary>"Patch ..." as Alexa sends it: every slot of the intent present, the spoken ones filled.</summary>
    public static AlexaRequests Patch(string? key = null, string? value = null, string? name = null, string? scope = null,
        string? selection = null, string? except = null, string? count = null, string dialog = "STARTED") =>
        AlexaRequests.Intent("PatchIntent",
            ("TagKey", key), ("TagValue", value), ("InstanceName", name), ("Scope", scope),
            ("Selection", selection), ("ExceptName", except), ("ConfirmCount", count), ("SecurityCode", null)).Dialog(dialog);

    /// <summary>The answer to "which ones?": the same intent, the earlier slots kept, the answer added.</summary>
    public static AlexaRequests Answer(string? key = null, string? value = null, string? selection = null, string? name = null, string? except = null) =>
        Patch(key, value, name: name, selection: selection, except: except, dialog: "IN_PROGRESS");

    /// <summary>The confirmation coming back: the same intent, CONFIRMED or DENIED.</summary>
    public static AlexaRequests Confirm(string status, string? key = null, string? value = null, string? selection = null, string? name = null,
        string? except = null, string? count = null) =>
        Patch(key, value, name: name, selection: selection, except: except, count: count).Confirmation(status);

    /// <summary>The number said back after the count question: the same intent with ConfirmCount filled.</summary>
    public static AlexaRequests SayCount(string count, string? key = null, string? value = null, string? selection = null, string? name = null,
        string? except = null) =>
        Patch(key, value, name: name, selection: selection, except: except, count: count, dialog: "IN_PROGRESS");

    /// <summary>What patching decided, from the request's audit record.</summary>
    public static string? Outcome(JsonObject audit) => (string?)audit["notes"]?["patchOutcome"];

    /// <summary>A note of patching's in the audit record, split on commas.</summary>
    public static string[] NoteList(JsonObject audit, string key) =>
        ((string?)audit["notes"]?[key])?.Split(',') ?? [];

    /// <summary>Starts a conversation whose session already remembers instances in focus, as the scan report leaves it.</summary>
    public Task<AlexaReply> SayWithFocusAsync(AlexaRequests request, TargetMemory focus) =>
        Driver.SayAsync(request.InSession(SessionWith(Store, focus)));

    /// <summary>A session store with the same key every test driver uses.</summary>
    public static SessionStore NewStore() => new(Key);

    /// <summary>Signed session attributes that hold a focus, as a scan report leaves them.</summary>
    public static JsonObject SessionWith(SessionStore store, TargetMemory focus)
    {
        var attributes = store.Write("amzn1.echo-api.session.test-session", new SessionState { Focus = focus })!;
        var json = new JsonObject();
        foreach (var (key, element) in attributes) json[key] = JsonNode.Parse(element.GetRawText());
        return json;
    }

    /// <summary>The focus a scan report of prod's vulnerable instances leaves (as ScanResultsHandler writes it: names, no tag).</summary>
    public static TargetMemory ProdFocus => new()
    {
        Description = "web-1, web-2 and db-1",
        InstanceIds = [Web1, Web2, Db1],
        Names = ["web-1", "web-2", "db-1"],
    };
}

/// <summary>A state table whose reads can be made to fail, as DynamoDB's throttling would.</summary>
internal sealed class FailableTable(IStateTable inner, Func<bool> fails) : SecurityAlexa.Tests.Support.DelegatingStateTable(inner)
{
    public override Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) => fails()
        ? throw new SecurityAlexa.AwsContract.AwsCallException("dynamodb:GetItem", SecurityAlexa.AwsContract.AwsFailure.Throttled,
            "ThrottlingException", System.Net.HttpStatusCode.BadRequest, "Rate exceeded")
        : base.GetAsync(key, now, cancellationToken);
}

