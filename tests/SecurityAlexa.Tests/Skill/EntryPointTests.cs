using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Skill;

public sealed class EntryPointTests
{
    [Fact]
    public async Task HandleAsync_WhenLaunchRequest_SaysWhatTheSkillDoesAndKeepsListening()
    {
        var driver = new SkillDriver();

        var reply = await driver.SendAsync(AlexaRequests.Launch());

        Assert.Contains("scan instances for vulnerabilities", reply.Speech);
        Assert.False(reply.EndsSession);
        Assert.NotEmpty(reply.Reprompt);
    }

    [Fact]
    public async Task HandleAsync_WhenJsonIsInvalid_AnswersWithWellFormedApology()
    {
        var driver = new SkillDriver();

        var reply = new AlexaReply(await driver.SendRawAsync("{\"version\": \"1.0\", \"request\": {"));

        Assert.Equal("1.0", (string?)reply.Root["version"]);
        Assert.Equal("Sorry, I couldn't read that request, so I did nothing.", reply.Speech);
        Assert.True(reply.EndsSession);
    }

    [Fact]
    public async Task HandleAsync_WhenSkillIdIsForged_SpeaksNothingUsefulAndLogsSecurityEvent()
    {
        var driver = new SkillDriver();

        var reply = await driver.SendAsync(AlexaRequests.Intent("AMAZON.HelpIntent").FromSkill("amzn1.ask.skill.forged"));

        Assert.Equal("Sorry, I can't help with that.", reply.Speech);
        Assert.Null(reply.SessionAttributes);
        Assert.Contains(driver.Log.Lines, l => l.Contains("\"level\":\"SECURITY\"") && l.Contains("skill-id.rejected"));
    }
}
