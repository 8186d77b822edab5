using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Tests.Alexa;

public sealed class ResponseSerializationTests
{
    private static string Write(SkillResponse response) => JsonSerializer.Serialize(response, AlexaJsonContext.Default.SkillResponse);

    private static string Write(Directive directive) => JsonSerializer.Serialize(directive, AlexaJsonContext.Default.Directive);

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}{Environment.NewLine}but got  {actual}");

    private static Intent PatchIntent() => new()
    {
        Name = "PatchIntent",
        ConfirmationStatus = "NONE",
        Slots = new Dictionary<string, Slot>
        {
            ["TagValue"] = new() { Name = "TagValue", Value = "production", ConfirmationStatus = "NONE" },
        },
    };

    private const string PatchIntentJson = """
        {"name":"PatchIntent","confirmationStatus":"NONE","slots":{"TagValue":{"name":"TagValue","value":"production","confirmationStatus":"NONE"}}}
        """;

    [Fact]
    public void Serialize_WhenOnlySpeechIsSet_LeavesEveryNullMemberOut()
    {
        var response = new SkillResponse { Response = { OutputSpeech = OutputSpeech.Plain("Hello.") } };

        Assert.Equal("""{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Hello."}}}""", Write(response));
    }

    [Fact]
    public void Serialize_WhenEmptyResponse_WritesEmptyResponseObject()
    {
        Assert.Equal("""{"version":"1.0","response":{}}""", Write(new SkillResponse()));
    }

    [Fact]
    public void Serialize_WhenDialogElicitSlot_WritesTypeSlotAndUpdatedIntent()
    {
        var json = Write(new DialogElicitSlot { SlotToElicit = "Selection", UpdatedIntent = PatchIntent() });

        AssertJsonEqual("""{"type":"Dialog.ElicitSlot","slotToElicit":"Selection","updatedIntent":""" + PatchIntentJson + "}", json);
    }

    [Fact]
    public void Serialize_WhenDialogConfirmSlot_WritesTypeSlotAndUpdatedIntent()
    {
        var json = Write(new DialogConfirmSlot { SlotToConfirm = "TagValue", UpdatedIntent = PatchIntent() });

        AssertJsonEqual("""{"type":"Dialog.ConfirmSlot","slotToConfirm":"TagValue","updatedIntent":""" + PatchIntentJson + "}", json);
    }

    [Fact]
    public void Serialize_WhenDialogConfirmIntent_WritesTypeAndUpdatedIntent()
    {
        var json = Write(new DialogConfirmIntent { UpdatedIntent = PatchIntent() });

        AssertJsonEqual("""{"type":"Dialog.ConfirmIntent","updatedIntent":""" + PatchIntentJson + "}", json);
    }

    [Fact]
    public void Serialize_WhenDialogDelegateWithoutIntent_WritesOnlyType()
    {
        Assert.Equal("""{"type":"Dialog.Delegate"}""", Write(new DialogDelegate()));
        AssertJsonEqual("""{"type":"Dialog.Delegate","updatedIntent":""" + PatchIntentJson + "}", Write(new DialogDelegate { UpdatedIntent = PatchIntent() }));
    }

    [Fact]
    public void Serialize_WhenUpdateDynamicEntities_WritesTypesValuesAndSynonyms()
    {
        var directive = new DialogUpdateDynamicEntities
        {
            Types =
            [
                new DynamicSlotType
                {
                    Name = "TAG_VALUE",
                    Values =
                    [
                        new DynamicSlotValue { Id = "PRODUCTION", Name = new DynamicSlotName { Value = "production", Synonyms = ["prod", "live"] } },
                        new DynamicSlotValue { Id = "STAGING", Name = new DynamicSlotName { Value = "staging" } },
                    ],
                },
            ],
        };

        AssertJsonEqual("""
            {"type":"Dialog.UpdateDynamicEntities","updateBehavior":"REPLACE","types":[{"name":"TAG_VALUE","values":[
              {"id":"PRODUCTION","name":{"value":"production","synonyms":["prod","live"]}},
              {"id":"STAGING","name":{"value":"staging"}}]}]}
            """, Write(directive));
    }

    [Fact]
    public void Serialize_WhenDirectivesAreInResponse_WritesTheTypeFirst()
    {
        var response = new SkillResponse
        {
            Response = { Directives = [new DialogConfirmIntent { UpdatedIntent = new Intent { Name = "IsolateIntent" } }] },
        };

        Assert.Equal("""{"version":"1.0","response":{"directives":[{"type":"Dialog.ConfirmIntent","updatedIntent":{"name":"IsolateIntent"}}]}}""", Write(response));
    }

    [Fact]
    public void Serialize_WhenProgressiveResponseBody_WritesVoicePlayerSpeakWithType()
    {
        var json = System.Text.Encoding.UTF8.GetString(AlexaProgressiveResponse.Body("amzn1.echo-api.request.x", "<speak>Working on it.</speak>"));

        Assert.Equal("""{"header":{"requestId":"amzn1.echo-api.request.x"},"directive":{"type":"VoicePlayer.Speak","speech":"<speak>Working on it.</speak>"}}""", json);
    }

    public static TheoryData<string> ResponsesToRoundTrip() => new()
    {
        // Full envelope: SSML speech, Simple card, reprompt, session attributes.
        """
        {"version":"1.0","sessionAttributes":{"securityAlexa":{"v":1,"data":"{}","sig":"abc"},"other":[1,true,null]},
         "response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Two instances are tagged prod.</speak>"},
          "card":{"type":"Simple","title":"Scan","content":"web-1\nweb-2"},
          "reprompt":{"outputSpeech":{"type":"PlainText","text":"What next?"}},"shouldEndSession":false}}
        """,
        // Standard card with images, plain speech with a play behaviour, session ends.
        """
        {"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Done.","playBehavior":"REPLACE_ENQUEUED"},
          "card":{"type":"Standard","title":"Isolation","text":"web-1 is isolated.","image":{"smallImageUrl":"https://example.com/s.png","largeImageUrl":"https://example.com/l.png"}},
          "shouldEndSession":true}}
        """,
        // Every dialog directive, with slots carrying resolutions.
        """
        {"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Which ones?</speak>"},"shouldEndSession":false,"directives":[
          {"type":"Dialog.ElicitSlot","slotToElicit":"Selection","updatedIntent":{"name":"PatchIntent","confirmationStatus":"NONE","slots":{
            "Selection":{"name":"Selection","confirmationStatus":"NONE"},
            "TagValue":{"name":"TagValue","value":"prod","confirmationStatus":"NONE","source":"USER","resolutions":{"resolutionsPerAuthority":[
              {"authority":"amzn1.er-authority.echo-sdk.skill.TAG_VALUE","status":{"code":"ER_SUCCESS_MATCH"},"values":[{"value":{"name":"production","id":"PRODUCTION"}}]}]}}}}},
          {"type":"Dialog.ConfirmSlot","slotToConfirm":"TagValue"},
          {"type":"Dialog.ConfirmIntent","updatedIntent":{"name":"PatchIntent","confirmationStatus":"NONE"}},
          {"type":"Dialog.Delegate"},
          {"type":"Dialog.UpdateDynamicEntities","updateBehavior":"CLEAR"}]}}
        """,
        // The answer to CanFulfillIntentRequest.
        """
        {"version":"1.0","response":{"canFulfillIntent":{"canFulfill":"YES","slots":{"TagValue":{"canUnderstand":"MAYBE","canFulfill":"YES"}}}}}
        """,
    };

    [Theory]
    [MemberData(nameof(ResponsesToRoundTrip))]
    public void RoundTrip_WhenResponseIsReadAndWrittenAgain_JsonIsUnchanged(string json)
    {
        var response = JsonSerializer.Deserialize(json, AlexaJsonContext.Default.SkillResponse)!;

        AssertJsonEqual(json, Write(response));
    }

    [Fact]
    public void Deserialize_WhenResponseHasDirectives_ReadsEachAsItsOwnType()
    {
        var json = ((IEnumerable<object[]>)ResponsesToRoundTrip()).Select(row => (string)row[0]).Single(j => j.Contains("Dialog.ElicitSlot", StringComparison.Ordinal));

        var directives = JsonSerializer.Deserialize(json, AlexaJsonContext.Default.SkillResponse)!.Response.Directives!;

        Assert.Equal(
            [typeof(DialogElicitSlot), typeof(DialogConfirmSlot), typeof(DialogConfirmIntent), typeof(DialogDelegate), typeof(DialogUpdateDynamicEntities)],
            directives.Select(d => d.GetType()));
        Assert.Equal("Selection", ((DialogElicitSlot)directives[0]).SlotToElicit);
        Assert.Equal("ER_SUCCESS_MATCH", ((DialogElicitSlot)directives[0]).UpdatedIntent!.Slots!["TagValue"].Resolutions!.ResolutionsPerAuthority![0].Status!.Code);
        Assert.Equal("CLEAR", ((DialogUpdateDynamicEntities)directives[4]).UpdateBehavior);
    }

    [Fact]
    public void Wire_WhenTextIsNonAsciiOrSsml_WritesItUnescapedButStillValidJson()
    {
        var response = new SkillResponse { Response = { OutputSpeech = OutputSpeech.FromSsml("スキャン &amp; \"web-1\"\n") } };

        var json = System.Text.Encoding.UTF8.GetString(SkillResponseWriter.ToUtf8Bytes(response));

        Assert.Equal("""{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>スキャン &amp; \"web-1\"\n</speak>"}}}""", json);
        Assert.Equal("<speak>スキャン &amp; \"web-1\"\n</speak>", JsonSerializer.Deserialize(json, AlexaJsonContext.Default.SkillResponse)!.Response.OutputSpeech!.Ssml);
    }

    [Fact]
    public void Card_WhenBodyIsSet_UsesContentForSimpleAndTextForStandard()
    {
        var simple = Card.Simple("t", "a");
        var standard = Card.Standard("t", "b");

        simple.Body = "simple body";
        standard.Body = "standard body";

        Assert.Equal(("simple body", null), (simple.Content, simple.Text));
        Assert.Equal((null, "standard body"), (standard.Content, standard.Text));
    }
}
