using System.Text.Json.Nodes;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Skill;

public sealed class SessionStateTests
{
    private sealed class Memory
    {
        public TargetMemory? Recalled;
        public int Recalls;
    }

    // Two stand-in intents: one remembers instances, the other reports what it was given back.
    private static (DelegateHandler Remember, DelegateHandler Recall) Handlers(Memory memory, int count = 2) =>
    (
        DelegateHandler.ForIntent("RememberIntent", turn =>
        {
            turn.State.Focus = new TargetMemory
            {
                Description = "tagged environment production",
                InstanceIds = Enumerable.Range(1, count).Select(i => $"i-{i:x17}").ToList(),
                Names = Enumerable.Range(1, count).Select(i => $"web-{i}").ToList(),
            };
            return Reply.Ask(Spoken.Plain("Remembered."), Spoken.Plain("And?"));
        }),
        DelegateHandler.ForIntent("RecallIntent", turn =>
        {
            memory.Recalled = turn.State.Focus;
            memory.Recalls++;
            return Reply.Ask(Spoken.Plain("Recalled."), Spoken.Plain("And?"));
        })
    );

    [Fact]
    public async Task State_WhenCarriedBetweenTurns_IsSignedAndRestored()
    {
        var memory = new Memory();
        var (remember, recall) = Handlers(memory);
        var driver = new SkillDriver(extraHandlers: [remember, recall]);

        var first = await driver.SayAsync(AlexaRequests.Intent("RememberIntent"));
        var second = await driver.SayAsync(AlexaRequests.Intent("RecallIntent"));

        var signed = first.SessionAttributes![SessionStore.AttributeName]!;
        Assert.Equal(1, (int?)signed["v"]);
        Assert.False(string.IsNullOrEmpty((string?)signed["sig"]));
        Assert.Equal(["web-1", "web-2"], memory.Recalled!.Names);
        Assert.Equal("Recalled.", second.Speech);
        Assert.Empty(driver.LogsOf("session-state.rejected"));
    }

    [Theory]
    [InlineData("data")]
    [InlineData("sig")]
    [InlineData("v")]
    [InlineData("shape")]
    public async Task State_WhenTampered_IsRejectedLoggedAsSecurityAndReset(string tamper)
    {
        var memory = new Memory();
        var (remember, recall) = Handlers(memory);
        var driver = new SkillDriver(extraHandlers: [remember, recall]);
        var first = await driver.SayAsync(AlexaRequests.Intent("RememberIntent"));
        var attributes = (JsonObject)first.SessionAttributes!.DeepClone();
        var signed = (JsonObject)attributes[SessionStore.AttributeName]!;
        switch (tamper)
        {
            case "data": signed["data"] = ((string)signed["data"]!).Replace("i-00000000000000001", "i-0evil000000000001", StringComparison.Ordinal); break;
            case "sig": signed["sig"] = Convert.ToBase64String(new byte[32]); break;
            case "v": signed["v"] = 2; break;
            case "shape": attributes[SessionStore.AttributeName] = "not an object"; break;
        }

        var reply = (await driver.SendAsync(AlexaRequests.Intent("RecallIntent").InSession(attributes))).AssertWellFormed();

        Assert.Equal(1, memory.Recalls);
        Assert.Null(memory.Recalled);
        Assert.StartsWith(driver.Lang.Text("state.reset"), reply.Speech);
        Assert.EndsWith("Recalled.", reply.Speech);
        Assert.Null(reply.SessionAttributes);
        var security = Assert.Single(driver.LogsOf("session-state.rejected"));
        Assert.Equal("SECURITY", (string?)security["level"]);
    }

    [Fact]
    public async Task State_WhenReplayedIntoAnotherSession_IsRejected()
    {
        var memory = new Memory();
        var (remember, recall) = Handlers(memory);
        var driver = new SkillDriver(extraHandlers: [remember, recall]);
        var first = await driver.SayAsync(AlexaRequests.Intent("RememberIntent"));

        await driver.SendAsync(AlexaRequests.Intent("RecallIntent").InSession(first.SessionAttributes, "amzn1.echo-api.session.someone-else"));

        Assert.Null(memory.Recalled);
        Assert.Single(driver.LogsOf("session-state.rejected"));
    }

    [Fact]
    public async Task State_WhenRejectedBeforeADelegate_AddsNoSpeechBesideTheDirective()
    {
        var delegating = DelegateHandler.ForIntent("ScanIntent", turn => Reply.Delegate(turn.Intent));
        var driver = new SkillDriver(extraHandlers: [delegating]);
        var forged = new JsonObject { [SessionStore.AttributeName] = new JsonObject { ["v"] = 1, ["data"] = "{}", ["sig"] = "x" } };

        var reply = (await driver.SendAsync(AlexaRequests.Intent("ScanIntent").InSession(forged))).AssertWellFormed();

        Assert.Equal(["Dialog.Delegate"], reply.DirectiveTypes);
        Assert.Single(driver.LogsOf("session-state.rejected"));
    }

    [Fact]
    public async Task State_WhenOtherAttributesArePresent_IgnoresThem()
    {
        var memory = new Memory();
        var (_, recall) = Handlers(memory);
        var driver = new SkillDriver(extraHandlers: [recall]);

        await driver.SendAsync(AlexaRequests.Intent("RecallIntent").InSession(new JsonObject { ["someoneElses"] = new JsonObject { ["x"] = 1 } }));

        Assert.Null(memory.Recalled);
        Assert.Empty(driver.LogsOf("session-state.rejected"));
    }

    [Fact]
    public void FromConfig_WhenKeyIsMissingOrUnusable_SaysWhyAndStillSigns()
    {
        SessionStore.FromConfig(SkillConfig.FromEnvironment(new Dictionary<string, string>()), out var missing);
        SessionStore.FromConfig(SkillConfig.FromEnvironment(new Dictionary<string, string> { ["SESSION_SIGNING_KEY"] = "not base64!" }), out var notBase64);
        SessionStore.FromConfig(SkillConfig.FromEnvironment(new Dictionary<string, string> { ["SESSION_SIGNING_KEY"] = Convert.ToBase64String(new byte[8]) }), out var tooShort);
        var good = SessionStore.FromConfig(SkillConfig.FromEnvironment(new Dictionary<string, string> { ["SESSION_SIGNING_KEY"] = Convert.ToBase64String(new byte[32]) }), out var none);

        Assert.Equal(("missing", "not-base64", "too-short", null), (missing, notBase64, tooShort, none));
        var state = new SessionState { Focus = new TargetMemory { Description = "d" } };
        var written = good.Write("s1", state)!;
        var again = new SessionStore(new byte[32]);
        var session = new SecurityAlexa.Alexa.Session { SessionId = "s1", Attributes = written };
        Assert.Equal(SessionStore.ReadOutcome.Valid, again.Read(session).Outcome);
    }

    [Fact]
    public void Create_WhenSigningKeyIsNotConfigured_WarnsAtStartup()
    {
        var sink = new MemoryLogSink();

        SkillHost.Create(SkillConfig.FromEnvironment(new Dictionary<string, string> { ["SKILL_ID"] = "x" }), new SkillServices(), sink);

        Assert.Contains(sink.Lines, l => l.Contains("\"kind\":\"config.session-signing-key\"", StringComparison.Ordinal) && l.Contains("\"problem\":\"missing\"", StringComparison.Ordinal));
    }
}
