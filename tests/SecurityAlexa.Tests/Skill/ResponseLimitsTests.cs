using System.Text;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Skill;

public sealed class ResponseLimitsTests
{
    private static string Sentences(int count) =>
        string.Join(" ", Enumerable.Range(1, count).Select(i => $"Instance web-{i} has {i % 7} critical findings & needs a patch."));

    [Fact]
    public async Task Reply_WhenSpeechIsOver8000Characters_IsCutAtASentenceWithPointerAndFullTextOnCard()
    {
        var longText = Sentences(200);
        Assert.True(longText.Length > 8000);
        var talkative = DelegateHandler.ForIntent("ScanResultsIntent", _ => Reply.Tell(Spoken.Plain(longText)));
        var driver = new SkillDriver(extraHandlers: [talkative]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("ScanResultsIntent"))).AssertWellFormed();

        Assert.True(reply.Ssml!.Length < 8000);
        Assert.EndsWith("needs a patch. " + driver.Lang.Text("card.morePointer"), reply.Speech);
        Assert.StartsWith(reply.Speech[..^(driver.Lang.Text("card.morePointer").Length + 1)], longText);
        Assert.Equal(longText, reply.CardText);
        Assert.Equal(driver.Lang.Text("card.title"), (string?)reply.Response!["card"]!["title"]);
    }

    [Fact]
    public async Task Reply_WhenResponseIsOver24KB_TrimsTheCardAndKeepsSessionStateIntact()
    {
        TargetMemory? recalled = null;
        var remember = DelegateHandler.ForIntent("ScanResultsIntent", turn =>
        {
            turn.State.Focus = new TargetMemory
            {
                Description = "tagged environment production",
                InstanceIds = Enumerable.Range(1, 60).Select(i => $"i-{i:x17}").ToList(),
                Names = Enumerable.Range(1, 60).Select(i => $"web-{i}").ToList(),
            };
            return Reply.Ask(Spoken.Plain("Sixty instances have findings. The details are on the card."), Spoken.Plain("Patch them?"))
                .WithCard("Findings", Sentences(1000));
        });
        var recall = DelegateHandler.ForIntent("PatchIntent", turn =>
        {
            recalled = turn.State.Focus;
            return Reply.Tell(Spoken.Plain("ok"));
        });
        var driver = new SkillDriver(extraHandlers: [remember, recall]);

        var reply = (await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent"))).AssertWellFormed();
        await driver.SayAsync(AlexaRequests.Intent("PatchIntent"));

        Assert.InRange(reply.Bytes, 20 * 1024, 24 * 1024);
        Assert.EndsWith(" …", reply.CardText);
        Assert.StartsWith(reply.CardText![..^2], Sentences(1000));
        Assert.Equal("Sixty instances have findings. The details are on the card.", reply.Speech);
        Assert.Equal(60, recalled!.InstanceIds.Count);
        Assert.Equal("web-60", recalled.Names[^1]);
        Assert.Empty(driver.LogsOf("session-state.rejected"));
    }

    [Fact]
    public async Task Reply_WhenMultiByteSpeechAloneExceeds24KB_ShortensSpeechToFit()
    {
        // 7,900 three-byte characters fit Alexa's character limit but not its byte limit.
        var japanese = new string('検', 7900);
        var talkative = DelegateHandler.ForIntent("ScanResultsIntent", _ => Reply.Ask(Spoken.Plain(japanese), Spoken.Plain(japanese)));
        var driver = new SkillDriver(extraHandlers: [talkative]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("ScanResultsIntent"))).AssertWellFormed();

        Assert.True(reply.Bytes <= 24 * 1024);
        Assert.StartsWith("検検検", reply.Speech);
        Assert.StartsWith("検検検", reply.Reprompt);
    }

    [Fact]
    public void Serialize_WhenCardIsFullOfSurrogatePairs_NeverSplitsACharacter()
    {
        var response = new SkillResponse
        {
            Response = { OutputSpeech = OutputSpeech.Plain("See the card."), Card = Card.Simple("t", string.Concat(Enumerable.Repeat("🔒x", 9000))) },
        };

        var bytes = ResponseLimits.Serialize(response, "pointer", "title");
        var reply = new AlexaReply(Encoding.UTF8.GetString(bytes)).AssertWellFormed();

        Assert.DoesNotContain('\uFFFD', reply.CardText!);
        Assert.StartsWith("🔒x🔒x", reply.CardText);
    }

    [Fact]
    public void Serialize_WhenSpeechIsAllAmpersands_EscapedSsmlStillFits()
    {
        var response = new SkillResponse { Response = { OutputSpeech = OutputSpeech.FromSsml(Ssml.Escape(new string('&', 7990))) } };

        var json = Encoding.UTF8.GetString(ResponseLimits.Serialize(response, "More on the card.", "title"));

        var reply = new AlexaReply(json).AssertWellFormed();
        Assert.EndsWith("More on the card.", reply.Speech);
        Assert.Equal(new string('&', 7990), reply.CardText);
    }

    [Fact]
    public void Serialize_WhenRepromptIsOver8000Characters_CutsItToo()
    {
        var response = new SkillResponse
        {
            Response = { OutputSpeech = OutputSpeech.Plain("Short."), Reprompt = new Reprompt { OutputSpeech = OutputSpeech.Plain(Sentences(200)) } },
        };

        var reply = new AlexaReply(Encoding.UTF8.GetString(ResponseLimits.Serialize(response, "pointer", "title"))).AssertWellFormed();

        Assert.EndsWith("needs a patch.", reply.Reprompt);
        Assert.Equal("Short.", reply.Speech);
    }

    [Fact]
    public void Serialize_WhenWithinLimits_ChangesNothing()
    {
        var response = new SkillResponse { Response = { OutputSpeech = OutputSpeech.Plain("Hi."), Card = Card.Simple("t", "c") } };

        var json = Encoding.UTF8.GetString(ResponseLimits.Serialize(response, "pointer", "title"));

        Assert.Equal("""{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Hi."},"card":{"type":"Simple","title":"t","content":"c"}}}""", json);
    }
}
