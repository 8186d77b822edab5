using System.Text.Json.Nodes;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

public sealed class AuditTests
{
    /// <summary>The documented shape (docs/security.md); changing it is a breaking change for log queries.</summary>
    private static readonly string[] DocumentedKeys =
    [
        "time", "level", "kind", "auditVersion", "requestId", "requestTime", "sessionHash", "speakerHash", "userHash", "intent",
        "dialogState", "confirmation", "slots", "action", "targets", "targetCount", "account", "region", "awsCalls", "securityCode", "refusedBy",
        "handler", "outcome", "errorRef", "notes", "durationMs",
    ];

    private static List<JsonObject> AuditRecords(SkillDriver driver) =>
        driver.Log.Lines.Where(l => l.Contains("\"kind\":\"audit\"")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public async Task HandleAsync_WhenAChangeIsCarriedOut_WritesOneRecordWithTargetsAndAwsRequestIds()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var confirm = HostileHarness.Confirm("IsolateIntent", "web-1", attributes);

        await h.Driver.SendAsync(confirm);

        var records = AuditRecords(h.Driver);
        Assert.Equal(2, records.Count); // the read-back turn and the confirmed turn
        var record = records[1];
        Assert.Equal(DocumentedKeys, record.Select(kv => kv.Key));
        Assert.Equal("AUDIT", (string?)record["level"]);
        Assert.Equal(1, (int?)record["auditVersion"]);
        Assert.Equal(confirm.RequestId, (string?)record["requestId"]);
        Assert.Equal(IdentityHash.Of(AlexaRequests.PersonId), (string?)record["speakerHash"]);
        Assert.Equal(IdentityHash.Of(AlexaRequests.UserId), (string?)record["userHash"]);
        Assert.Equal("IsolateIntent", (string?)record["intent"]);
        Assert.Equal("CONFIRMED", (string?)record["confirmation"]);
        Assert.Equal("web-1", (string?)record["slots"]!["InstanceName"]);
        Assert.Equal("isolate", (string?)record["action"]);
        Assert.Equal([HostileHarness.IdOf("web-1")], record["targets"]!.AsArray().Select(t => (string)t!));
        var calls = record["awsCalls"]!.AsArray().Select(c => ((string?)c!["operation"], (string?)c["requestId"], (string?)c["error"])).ToList();
        Assert.Contains(calls, c => c is ("dynamodb:PutItem", { } id, null) && id.StartsWith("ddb-", StringComparison.Ordinal));
        Assert.Contains(calls, c => c is ("ec2:ModifyNetworkInterfaceAttribute", { } id, null) && id.StartsWith("ec2-", StringComparison.Ordinal));
        Assert.Equal("isolated", (string?)record["outcome"]);
        Assert.Equal("IsolateHandler", (string?)record["handler"]);
        Assert.Null(record["refusedBy"]);
    }

    [Fact]
    public async Task HandleAsync_WhenTheReadBackIsAsked_RecordsTheResolvedTargets()
    {
        using var h = new HostileHarness();

        await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("TagKey", "environment"), ("TagValue", "staging")));

        var record = Assert.Single(AuditRecords(h.Driver));
        Assert.Equal("confirm-asked", (string?)record["outcome"]);
        Assert.Equal("isolate", (string?)record["action"]);
        Assert.Equal(2, (int?)record["targetCount"]);
        Assert.Equal([HostileHarness.IdOf("web-3"), HostileHarness.IdOf("api-1")], record["targets"]!.AsArray().Select(t => (string)t!).Order());
        Assert.Contains(record["awsCalls"]!.AsArray(), c => (string?)c!["operation"] == "ec2:DescribeInstances");
    }

    [Fact]
    public async Task HandleAsync_WhenARefusedChangeIsAsked_StillWritesARecordSayingWhoRefused()
    {
        using var h = new HostileHarness();

        await h.Driver.SendAsync(HostileHarness.Say("ReleaseIntent", ("InstanceName", "web-1")).Speaker("amzn1.ask.person.STRANGER"));

        var record = Assert.Single(AuditRecords(h.Driver));
        Assert.Equal("speaker", (string?)record["refusedBy"]);
        Assert.Equal("refused-speaker", (string?)record["outcome"]);
        Assert.Empty(record["targets"]!.AsArray());
        Assert.Empty(record["awsCalls"]!.AsArray());
    }

    [Fact]
    public async Task HandleAsync_WhenNoHandlerAddsAnything_StillWritesTheRecord()
    {
        // A change intent whose handler records nothing itself (the catch-all is not a change: Mutates is declared on the handler).
        var driver = new SkillDriver(extraHandlers: [new SilentChangeHandler()]);

        await driver.SendAsync(AlexaRequests.Intent("PatchIntent", ("InstanceName", "web-1")));

        var record = Assert.Single(AuditRecords(driver));
        Assert.Equal("SilentChangeHandler", (string?)record["handler"]);
        Assert.Equal("silent", (string?)record["outcome"]);
        Assert.Equal("web-1", (string?)record["slots"]!["InstanceName"]);
    }

    [Fact]
    public async Task HandleAsync_WhenReadOnly_WritesNoAuditRecord()
    {
        using var h = new HostileHarness();

        await h.Driver.SendAsync(HostileHarness.Say("AMAZON.HelpIntent"));
        await h.Driver.SendAsync(HostileHarness.Say("ScanResultsIntent"));

        Assert.Empty(AuditRecords(h.Driver));
    }

    [Fact]
    public async Task HandleAsync_WhenACodeIsGiven_RecordsThatItWasVerifiedButNeverItsValue()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["SECURITY_CODE"] = "mutating" });

        await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("SecurityCode", HostileHarness.SecurityCode)));

        var record = Assert.Single(AuditRecords(h.Driver));
        Assert.Equal("verified", (string?)record["securityCode"]);
        Assert.False(record["slots"]!.AsObject().ContainsKey("SecurityCode"));
        Assert.DoesNotContain(HostileHarness.SecurityCode, record.ToJsonString());
    }

    [Fact]
    public async Task HandleAsync_WhenAHandlerAddsNotes_TheyAppearInTheRecord()
    {
        var noting = new NotingHandler();
        var driver = new SkillDriver(extraHandlers: [noting]);

        await driver.SendAsync(AlexaRequests.Intent("EnableScanningIntent"));

        var record = Assert.Single(AuditRecords(driver));
        Assert.Equal("cis-1", (string?)record["notes"]!["scanConfiguration"]);
        Assert.Equal("enable-scanning", (string?)record["action"]);
    }

    [Fact]
    public async Task HandleAsync_WhenSlotsAreFloodedByAForgedRequest_TheRecordStaysBounded()
    {
        var driver = new SkillDriver(extraHandlers: [new SilentChangeHandler()]);
        var request = AlexaRequests.Intent("PatchIntent");
        for (var i = 0; i < 500; i++) request.WithSlot("Extra" + i, new string('x', 500));

        await driver.SendAsync(request);

        var line = Assert.Single(driver.Log.Lines, l => l.Contains("\"kind\":\"audit\""));
        Assert.True(line.Length < 10_000, $"audit line is {line.Length} characters");
    }

    private sealed class NotingHandler : IntentHandler
    {
        public override IReadOnlyList<string> Intents { get; } = ["EnableScanningIntent"];

        public override bool Mutates => true;

        public override Task<Reply> HandleAsync(TurnContext turn)
        {
            turn.Audit.ForAction("enable-scanning").Note("scanConfiguration", "cis-1");
            return Task.FromResult(Reply.Tell("Scanning is on."));
        }
    }

    private sealed class SilentChangeHandler : ConfirmedIntentHandler
    {
        public override IReadOnlyList<string> Intents { get; } = ["PatchIntent"];

        protected override string PendingKind(TurnContext turn) => "patch";

        protected override Task<Reply> ReadBackAsync(TurnContext turn) => Task.FromResult(Reply.Tell("Nothing to do.").Labelled("silent"));

        protected override Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending) => ReadBackAsync(turn);

        protected override Reply Declined(TurnContext turn, PendingAction? pending) => Reply.Tell("No.");
    }
}
