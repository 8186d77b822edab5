using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Screens;

/// <summary>The RenderDocument contract, the size rule (the screen goes before the speech) and the device check.</summary>
public sealed class ScreenContractTests
{
    private static ScreenData Rows(int count, int detailLength = 40) => new()
    {
        Title = "Read-back",
        Items = Enumerable.Range(0, count).Select(i => new ScreenItem
        {
            Id = $"i-{i:D17}", Title = $"web-{i}", Detail = new string('d', detailLength), Badge = "Will patch", Color = ScreenDocuments.Tone("changing"),
        }).ToList(),
    };

    [Fact]
    public void Directive_Serializes_AsRenderDocumentWithTokenDocumentAndScreenDataSource()
    {
        var response = new SkillResponse { Response = { OutputSpeech = OutputSpeech.Plain("Hi."), Directives = [Screen.Directive(ReadBackScreen.Document, Rows(2))] } };

        var json = JsonNode.Parse(SkillResponseWriter.ToUtf8Bytes(response))!;
        var directive = json["response"]!["directives"]![0]!;

        Assert.Equal("Alexa.Presentation.APL.RenderDocument", (string?)directive["type"]);
        Assert.Equal("readBack", (string?)directive["token"]);
        Assert.Equal("APL", (string?)directive["document"]!["type"]);
        Assert.Equal("screen", (string?)directive["document"]!["mainTemplate"]!["parameters"]![0]);
        Assert.Equal(2, directive["datasources"]!["screen"]!["items"]!.AsArray().Count);
        // The shared style is merged into the document.
        Assert.NotNull(directive["document"]!["styles"]!["screenTitle"]);
        Assert.Contains(directive["document"]!["resources"]!.AsArray(), r => r!["colors"]?["screenBackground"] is not null);
    }

    [Fact]
    public void Serialize_WhenTheScreenMakesTheResponseTooLarge_DropsTheScreenAndKeepsSpeechAndCard()
    {
        var speech = string.Join(" ", Enumerable.Repeat("web-1 has 2 critical vulnerabilities.", 60));
        var card = "CVE-2024-6387 on web-1.";
        var response = new SkillResponse
        {
            Response =
            {
                OutputSpeech = OutputSpeech.Plain(speech),
                Card = Card.Simple("Scan", card),
                Directives = [new DialogConfirmIntent(), Screen.Directive(ReadBackScreen.Document, Rows(25, 900))],
            },
        };
        Assert.True(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(response, AlexaJsonContext.Wire.SkillResponse)) > ResponseLimits.MaxResponseBytes);

        var reply = new AlexaReply(Encoding.UTF8.GetString(ResponseLimits.Serialize(response, "More on the card.", "title"))).AssertWellFormed();

        Assert.Equal(speech, reply.Speech);
        Assert.Equal(card, reply.CardText);
        Assert.Equal(["Dialog.ConfirmIntent"], reply.DirectiveTypes);
    }

    [Fact]
    public void Serialize_WhenTheResponseFits_KeepsTheScreen()
    {
        var response = new SkillResponse { Response = { OutputSpeech = OutputSpeech.Plain("Hi."), Directives = [Screen.Directive(ReadBackScreen.Document, Rows(25))] } };

        var reply = new AlexaReply(Encoding.UTF8.GetString(ResponseLimits.Serialize(response, "More on the card.", "title"))).AssertWellFormed();

        Assert.Equal(["Alexa.Presentation.APL.RenderDocument"], reply.DirectiveTypes);
    }

    [Fact]
    public void DropFrom_WhenTheScreenWasTheOnlyDirective_LeavesNoEmptyDirectiveList()
    {
        var response = new SkillResponse { Response = { Directives = [Screen.Directive(ReadBackScreen.Document, Rows(1))] } };

        Assert.True(Screen.DropFrom(response));
        Assert.Null(response.Response.Directives);
        Assert.False(Screen.DropFrom(response));
    }

    [Theory]
    [InlineData("""{"Alexa.Presentation.APL":{"runtime":{"maxVersion":"2024.3"}}}""", true)]
    [InlineData("""{"AudioPlayer":{}}""", false)]
    [InlineData("""{}""", false)]
    [InlineData(null, false)]
    public void IsSupported_OnlyWhenTheDeviceDeclaresApl(string? interfaces, bool expected)
    {
        var envelope = new SkillRequest
        {
            Context = new RequestContext
            {
                System = new SystemContext
                {
                    Device = new Device
                    {
                        SupportedInterfaces = interfaces is null ? null
                            : JsonSerializer.Deserialize(interfaces, AlexaJsonContext.Default.DictionaryStringJsonElement),
                    },
                },
            },
        };

        Assert.Equal(expected, Screen.IsSupported(envelope));
    }

    [Fact]
    public void Tone_ComesFromTheSharedStyle_AndAnUnknownToneIsNeutral()
    {
        Assert.Equal(ScreenDocuments.Tones["critical"], ScreenDocuments.Tone("critical"));
        Assert.Equal(ScreenDocuments.Tones["neutral"], ScreenDocuments.Tone("no-such-tone"));
    }
}
