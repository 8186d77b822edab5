using System.Text.Json.Nodes;
using SecurityAlexa.Local.Chat;

namespace SecurityAlexa.Tests.Local;

/// <summary>The chat plays Alexa's part: session, attributes and the dialog directives, against a scripted fake skill.</summary>
public sealed class ChatSessionTests
{
    private static readonly InteractionModel PizzaModel = InteractionModel.Parse("""
        {"interactionModel":{
          "languageModel":{"invocationName":"pizza helper","intents":[
            {"name":"OrderIntent","slots":[{"name":"Size","type":"SIZE","samples":["{Size}","a {Size} one"]},{"name":"Count","type":"AMAZON.NUMBER"}],
             "samples":["order a {Size} pizza","order pizza","order {Count} pizzas"]},
            {"name":"AMAZON.YesIntent","samples":[]},{"name":"AMAZON.NoIntent","samples":[]},{"name":"AMAZON.CancelIntent","samples":[]},
            {"name":"AMAZON.StopIntent","samples":[]},{"name":"AMAZON.HelpIntent","samples":[]},{"name":"AMAZON.FallbackIntent","samples":[]}],
           "types":[{"name":"SIZE","values":[{"id":"L","name":{"value":"large","synonyms":["big"]}},{"id":"S","name":{"value":"small","synonyms":["little"]}}]}]},
          "dialog":{"delegationStrategy":"SKILL_RESPONSE","intents":[{"name":"OrderIntent","confirmationRequired":true,"prompts":{"confirmation":"Confirm.Order"},
            "slots":[{"name":"Size","type":"SIZE","elicitationRequired":true,"confirmationRequired":false,"prompts":{"elicitation":"Elicit.Size"}}]}]},
          "prompts":[{"id":"Elicit.Size","variations":[{"type":"PlainText","value":"What size?"}]},
                     {"id":"Confirm.Order","variations":[{"type":"PlainText","value":"A {Size} pizza, right?"}]}]}}
        """);

    [Fact]
    public async Task SayAsync_WhenTheSkillElicitsASlot_SendsTheAnswerAsThatSlotOfTheSameIntentInTheSameSession()
    {
        var skill = new FakeSkill(request => (string?)request["request"]!["dialogState"] == "STARTED"
            ? Ask("Which size?", attributes: """{"step":1}""", directive: """{"type":"Dialog.ElicitSlot","slotToElicit":"Size"}""")
            : Tell("Done."));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        var first = await chat.SayAsync("order pizza");
        Assert.Equal("OrderIntent.Size", chat.Waiting);
        var second = await chat.SayAsync("big");

        Assert.Equal(["Which size?"], first.Speech);
        Assert.Equal(2, skill.Requests.Count);
        var request = skill.Requests[1];
        Assert.Equal("IN_PROGRESS", (string?)request["request"]!["dialogState"]);
        Assert.Equal("OrderIntent", (string?)request["request"]!["intent"]!["name"]);
        var size = request["request"]!["intent"]!["slots"]!["Size"]!;
        Assert.Equal("big", (string?)size["value"]);
        Assert.Equal("ER_SUCCESS_MATCH", (string?)size["resolutions"]!["resolutionsPerAuthority"]![0]!["status"]!["code"]);
        Assert.Equal("large", (string?)size["resolutions"]!["resolutionsPerAuthority"]![0]!["values"]![0]!["value"]!["name"]);
        Assert.Equal("L", (string?)size["resolutions"]!["resolutionsPerAuthority"]![0]!["values"]![0]!["value"]!["id"]);
        Assert.Equal(1, (int?)request["session"]!["attributes"]!["step"]);
        Assert.False((bool?)request["session"]!["new"]);
        Assert.Equal((string?)skill.Requests[0]["session"]!["sessionId"], (string?)request["session"]!["sessionId"]);
        Assert.Equal(["Done."], second.Speech);
    }

    [Theory]
    [InlineData("yes", "CONFIRMED")]
    [InlineData("sure", "CONFIRMED")]
    [InlineData("no", "DENIED")]
    public async Task SayAsync_WhenTheSkillAsksToConfirmTheIntent_SendsTheSameIntentConfirmedOrDenied(string answer, string status)
    {
        var skill = new FakeSkill(request => (string?)request["request"]!["intent"]!["confirmationStatus"] == "NONE"
            ? Ask("Order a large pizza. Shall I?", directive: """{"type":"Dialog.ConfirmIntent","updatedIntent":{"name":"OrderIntent","confirmationStatus":"NONE","slots":{"Size":{"name":"Size","value":"large","confirmationStatus":"NONE"}}}}""")
            : Tell("OK."));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        await chat.SayAsync("order a large pizza");
        Assert.Equal("confirm OrderIntent", chat.Waiting);
        await chat.SayAsync(answer);

        var intent = skill.Requests[1]["request"]!["intent"]!;
        Assert.Equal("OrderIntent", (string?)intent["name"]);
        Assert.Equal(status, (string?)intent["confirmationStatus"]);
        Assert.Equal("large", (string?)intent["slots"]!["Size"]!["value"]);
        Assert.Null(chat.Waiting);
    }

    [Fact]
    public async Task SayAsync_WhenTheSkillDelegates_PromptsRequiredSlotsThenConfirmsThenSendsCompleted()
    {
        var skill = new FakeSkill(request => (string?)request["request"]!["dialogState"] == "COMPLETED"
            ? Tell("Ordered.")
            : Json("""{"version":"1.0","response":{"directives":[{"type":"Dialog.Delegate"}]}}"""));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        var asked = await chat.SayAsync("order pizza");
        var confirm = await chat.SayAsync("a big one");
        var done = await chat.SayAsync("yes");

        Assert.Equal(["What size?"], asked.Speech);
        Assert.Equal(["A big pizza, right?"], confirm.Speech);
        Assert.Equal(["Ordered."], done.Speech);
        Assert.True(done.SessionEnded);
        Assert.Equal(["STARTED", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"], skill.Requests.Select(r => (string?)r["request"]!["dialogState"]));
        Assert.Equal("CONFIRMED", (string?)skill.Requests[^1]["request"]!["intent"]!["confirmationStatus"]);
        Assert.Equal("big", (string?)skill.Requests[^1]["request"]!["intent"]!["slots"]!["Size"]!["value"]);
    }

    [Fact]
    public async Task SayAsync_WhenTheSkillEndsTheSession_StartsANewSessionWithoutAttributesNextTime()
    {
        var skill = new FakeSkill(_ => Tell("Bye.", attributes: """{"kept":true}"""));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        var first = await chat.SayAsync("order pizza");
        await chat.SayAsync("order pizza");

        Assert.True(first.SessionEnded);
        Assert.False(chat.InSession);
        Assert.True((bool?)skill.Requests[1]["session"]!["new"]);
        Assert.NotEqual((string?)skill.Requests[0]["session"]!["sessionId"], (string?)skill.Requests[1]["session"]!["sessionId"]);
        Assert.Empty(skill.Requests[1]["session"]!["attributes"]!.AsObject());
    }

    [Fact]
    public async Task SayAsync_WhenTheSkillKeepsListening_CarriesItsAttributesIntoTheNextRequest()
    {
        var skill = new FakeSkill(_ => Ask("More?", attributes: """{"count":2}"""));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        await chat.SayAsync("order pizza");
        await chat.SayAsync("order two pizzas");

        Assert.Equal(2, (int?)skill.Requests[1]["session"]!["attributes"]!["count"]);
        Assert.Equal("2", (string?)skill.Requests[1]["request"]!["intent"]!["slots"]!["Count"]!["value"]);
        Assert.Null(skill.Requests[1]["request"]!["intent"]!["slots"]!["Count"]!["resolutions"]);
    }

    [Theory]
    [InlineData("open pizza helper", "LaunchRequest", null)]
    [InlineData("launch pizza helper", "LaunchRequest", null)]
    [InlineData("ask pizza helper to order a small pizza", "IntentRequest", "OrderIntent")]
    [InlineData("what's the weather", "IntentRequest", "AMAZON.FallbackIntent")]
    public async Task SayAsync_OutsideASession_OpensOneWithTheRightRequest(string utterance, string type, string? intent)
    {
        var skill = new FakeSkill(_ => Ask("Hi.", attributes: null));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        await chat.SayAsync(utterance);

        var request = skill.Requests.Single();
        Assert.True((bool?)request["session"]!["new"]);
        Assert.Equal(type, (string?)request["request"]!["type"]);
        Assert.Equal(intent, (string?)request["request"]!["intent"]?["name"]);
    }

    [Fact]
    public async Task SayAsync_WhenTheUserCancelsDuringAnElicitation_SendsCancelInsteadOfFillingTheSlot()
    {
        var skill = new FakeSkill(request => (string?)request["request"]!["intent"]?["name"] == "OrderIntent"
            ? Ask("Which size?", directive: """{"type":"Dialog.ElicitSlot","slotToElicit":"Size"}""")
            : Tell("Cancelled."));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        await chat.SayAsync("order pizza");
        var turn = await chat.SayAsync("cancel");

        Assert.Equal("AMAZON.CancelIntent", (string?)skill.Requests[1]["request"]!["intent"]!["name"]);
        Assert.Null(skill.Requests[1]["request"]!["dialogState"]);
        Assert.True(turn.SessionEnded);
    }

    [Fact]
    public async Task SayAsync_WhenTheUserSaysExitInASession_SendsSessionEndedAndClosesIt()
    {
        var skill = new FakeSkill(request => (string?)request["request"]!["type"] == "SessionEndedRequest"
            ? Json("""{"version":"1.0","response":{}}""")
            : Ask("Hi.", attributes: null));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        await chat.SayAsync("open pizza helper");
        var turn = await chat.SayAsync("exit");

        Assert.Equal("USER_INITIATED", (string?)skill.Requests[1]["request"]!["reason"]);
        Assert.True(turn.SessionEnded);
        Assert.Empty(turn.Speech);
        Assert.False(chat.InSession);
    }

    [Fact]
    public async Task SayAsync_WhenTheSkillDelegatesForever_StopsAfterAFewRequests()
    {
        var skill = new FakeSkill(_ => Json("""{"version":"1.0","response":{"directives":[{"type":"Dialog.Delegate","updatedIntent":{"name":"OrderIntent","confirmationStatus":"CONFIRMED","slots":{"Size":{"name":"Size","value":"large","confirmationStatus":"NONE"}}}}]}}"""));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        await chat.SayAsync("order a large pizza");

        Assert.InRange(skill.Requests.Count, 2, 6);
    }

    [Fact]
    public async Task SayAsync_WhenTheSkillSendsSsmlAndACard_ReturnsPlainSpeechAndTheCard()
    {
        var skill = new FakeSkill(_ => Json("""{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Two &amp; <break time=\"1s\"/>three</speak>"},"card":{"type":"Simple","title":"T","content":"line one\nline two"},"shouldEndSession":true}}"""));
        var chat = new ChatSession(PizzaModel, skill.InvokeAsync);

        var turn = await chat.SayAsync("order pizza");

        Assert.Equal("Two & three", turn.Speech.Single().Replace("  ", " ", StringComparison.Ordinal));
        Assert.Equal(("T", "line one\nline two"), turn.Cards.Single());
    }

    private static JsonObject Ask(string speech, string? attributes = null, string? directive = null)
    {
        var response = new JsonObject
        {
            ["outputSpeech"] = new JsonObject { ["type"] = "PlainText", ["text"] = speech },
            ["reprompt"] = new JsonObject { ["outputSpeech"] = new JsonObject { ["type"] = "PlainText", ["text"] = speech } },
            ["shouldEndSession"] = false,
        };
        if (directive is not null) response["directives"] = new JsonArray(JsonNode.Parse(directive));
        return Envelope(response, attributes);
    }

    private static readonly InteractionModel Japanese = InteractionModel.Load(Shipping.RepoFiles.JapaneseModelPath);

    [Theory]
    [InlineData("セキュリティアシスタントを開いて")]
    [InlineData("アレクサ、セキュリティアシスタントを起動して")]
    [InlineData("セキュリティアシスタント")]
    public async Task SayAsync_InJapanese_OpensTheSkillByItsJapaneseName(string utterance)
    {
        var skill = new FakeSkill(_ => Ask("セキュリティアシスタントです。"));
        var chat = new ChatSession(Japanese, skill.InvokeAsync, locale: "ja-JP");

        await chat.SayAsync(utterance);

        var request = Assert.Single(skill.Requests)["request"]!;
        Assert.Equal("LaunchRequest", (string?)request["type"]);
        Assert.Equal("ja-JP", (string?)request["locale"]);
    }

    [Fact]
    public async Task SayAsync_InJapanese_TakesAOneShotRequestAfterTheNameAndParticle()
    {
        var skill = new FakeSkill(_ => Tell("完了"));
        var chat = new ChatSession(Japanese, skill.InvokeAsync, locale: "ja-JP");

        await chat.SayAsync("アレクサ、セキュリティアシスタントで本番をスキャンして");

        var request = Assert.Single(skill.Requests);
        Assert.True((bool?)request["session"]!["new"]);
        Assert.Equal("ScanIntent", (string?)request["request"]!["intent"]!["name"]);
        Assert.Equal("本番", (string?)request["request"]!["intent"]!["slots"]!["TagValue"]!["value"]);
        Assert.Equal("prod", (string?)request["request"]!["intent"]!["slots"]!["TagValue"]!["resolutions"]!["resolutionsPerAuthority"]![0]!["values"]![0]!["value"]!["name"]);
    }

    [Fact]
    public async Task SayAsync_AfterTheSkillEchoesAnIntent_ResolvesItsSlotValuesAgainAsAlexaDoes()
    {
        var skill = new FakeSkill(request => (string?)request["request"]!["intent"]!["confirmationStatus"] == "NONE"
            ? Ask("よろしいですか？", directive: """{"type":"Dialog.ConfirmIntent","updatedIntent":{"name":"ScanIntent","confirmationStatus":"NONE","slots":{"TagKey":{"name":"TagKey","value":"環境","confirmationStatus":"NONE"},"TagValue":{"name":"TagValue","value":"キューエー","confirmationStatus":"NONE"}}}}""")
            : Tell("完了"));
        var chat = new ChatSession(Japanese, skill.InvokeAsync, locale: "ja-JP");

        await chat.SayAsync("環境がキューエーのインスタンスをスキャンして");
        await chat.SayAsync("はい");

        var slots = skill.Requests[1]["request"]!["intent"]!["slots"]!;
        Assert.Equal("CONFIRMED", (string?)skill.Requests[1]["request"]!["intent"]!["confirmationStatus"]);
        Assert.Equal("Environment", (string?)slots["TagKey"]!["resolutions"]!["resolutionsPerAuthority"]![0]!["values"]![0]!["value"]!["name"]);
        Assert.Equal("ER_SUCCESS_NO_MATCH", (string?)slots["TagValue"]!["resolutions"]!["resolutionsPerAuthority"]![0]!["status"]!["code"]);
    }

    private static JsonObject Tell(string speech, string? attributes = null) => Envelope(new JsonObject
    {
        ["outputSpeech"] = new JsonObject { ["type"] = "PlainText", ["text"] = speech },
        ["shouldEndSession"] = true,
    }, attributes);

    private static JsonObject Envelope(JsonObject response, string? attributes)
    {
        var envelope = new JsonObject { ["version"] = "1.0" };
        if (attributes is not null) envelope["sessionAttributes"] = JsonNode.Parse(attributes);
        envelope["response"] = response;
        return envelope;
    }

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>A skill that answers by a rule and records every request it got.</summary>
    private sealed class FakeSkill(Func<JsonObject, JsonObject> answer)
    {
        public List<JsonObject> Requests { get; } = [];

        public Task<string> InvokeAsync(string json, CancellationToken cancellationToken)
        {
            var request = JsonNode.Parse(json)!.AsObject();
            Requests.Add(request);
            return Task.FromResult(answer(request).ToJsonString());
        }
    }
}
