using System.Xml.Linq;
using SecurityAlexa.Alexa;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

public sealed class DiscretionTests
{
    private static readonly Lang Lang = SpeechCatalog.LoadEmbedded().For("en-US");
    private static readonly SecuritySettings Ending = SecuritySettings.Default;
    private static readonly SecuritySettings Full = SecuritySettings.Default with { SpeakInstanceIds = InstanceIdSpeech.Full };
    private static readonly SecuritySettings Never = SecuritySettings.Default with { SpeakInstanceIds = InstanceIdSpeech.None };

    private static SkillResponse Saying(Spoken speech, string? card = null)
    {
        var response = new SkillResponse();
        response.Response.OutputSpeech = speech.ToOutputSpeech();
        if (card is not null) response.Response.Card = Card.Simple("Title", card);
        return response;
    }

    [Theory]
    [InlineData("web-1 talks to 10.0.1.11 all day.", "web-1 talks to a private address all day.")]
    [InlineData("Blocked 172.31.255.4/32 and 192.168.0.1.", "Blocked a private address and a private address.")]
    [InlineData("Its host name is ip-10-0-1-11.ec2.internal.", "Its host name is a private address.")]
    [InlineData("The link address is fe80::1ff:fe23:4567:890a.", "The link address is a private address.")]
    [InlineData("It belongs to 111122223333.", "It belongs to the account.")]
    [InlineData("Role arn:aws:iam::111122223333:role/x.", "Role arn:aws:iam::the account:role/x.")]
    [InlineData("Account 1111-2222-3333 it is.", "Account the account it is.")]
    [InlineData("Isolated i-0a1b2c3d4e5f64f2a.", "Isolated the instance ending in 4f2a.")]
    public void Apply_WhenSpeechHoldsSomethingUnspeakable_ReplacesItAndMovesTheSentenceToTheCard(string said, string expected)
    {
        var response = Saying(said);

        var changed = Discretion.Apply(response, Lang, Ending);

        Assert.True(changed);
        Assert.Equal(expected + " I've put the details on the card in the Alexa app.", response.Response.OutputSpeech!.SpokenText);
        Assert.Equal(said, response.Response.Card!.Content);
        XDocument.Parse(response.Response.OutputSpeech.Ssml!);
    }

    [Theory]
    [InlineData("Public 8.8.8.8 and 11.0.0.1 are fine.")]
    [InlineData("There are 3 instances and 12 findings.")]
    [InlineData("The time is 10:42.")]
    [InlineData("web-1, web-2 and db-1.")]
    [InlineData("Version 10.0 of the agent.")]
    public void Apply_WhenSpeechIsHarmless_LeavesIt(string said)
    {
        var response = Saying(said);

        Assert.False(Discretion.Apply(response, Lang, Ending));
        Assert.Equal(said, response.Response.OutputSpeech!.SpokenText);
        Assert.Null(response.Response.Card);
    }

    [Fact]
    public void Apply_WhenInstanceIdsMaBeSpokenInFull_LeavesThemButStillHidesAddresses()
    {
        var response = Saying("i-0a1b2c3d4e5f64f2a at 10.0.2.21.");

        Discretion.Apply(response, Lang, Full);

        Assert.StartsWith("i-0a1b2c3d4e5f64f2a at a private address.", response.Response.OutputSpeech!.SpokenText);
    }

    [Fact]
    public void Apply_WhenIdsMayNotBeSpokenAtAll_SaysUnnamedInstance()
    {
        var response = Saying("Isolated i-0a1b2c3d4e5f64f2a.");

        Discretion.Apply(response, Lang, Never);

        Assert.StartsWith("Isolated an unnamed instance.", response.Response.OutputSpeech!.SpokenText);
    }

    [Fact]
    public void Apply_AddsToAnExistingCardAndScrubsTheReprompt()
    {
        var response = Saying("All clear.", "Existing details");
        response.Response.Reprompt = new Reprompt { OutputSpeech = Spoken.Plain("Check 10.0.0.5?").ToOutputSpeech() };

        Discretion.Apply(response, Lang, Ending);

        Assert.Equal("Check a private address?", response.Response.Reprompt.OutputSpeech!.SpokenText);
        Assert.Equal("All clear.", response.Response.OutputSpeech!.SpokenText);
        Assert.Equal("Existing details\n\nCheck 10.0.0.5?", response.Response.Card!.Content);
    }

    [Fact]
    public void Apply_WhenTheAddressIsInsideSayAs_KeepsTheSsmlValid()
    {
        var response = Saying(Spoken.Join(Spoken.Plain("Address"), Spoken.Characters("10.0.0.5")));

        Discretion.Apply(response, Lang, Ending);

        var ssml = response.Response.OutputSpeech!.Ssml!;
        XDocument.Parse(ssml);
        Assert.DoesNotContain("10.0.0.5", ssml);
        Assert.DoesNotContain("<say-as interpret-as=\"characters\">the instance", ssml);
    }

    [Fact]
    public void Instance_WhenNamed_SaysTheName()
    {
        var spoken = Discretion.Instance(Lang, Ending, "web-1", "i-0a1b2c3d4e5f60001");

        Assert.Equal("web-1", spoken.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("ip-10-0-1-11")]
    [InlineData("host 10.1.2.3")]
    public void Instance_WhenUnnamedOrTheNameIsAnAddress_SaysOnlyTheIdEnding(string? name)
    {
        var spoken = Discretion.Instance(Lang, Ending, name, "i-0a1b2c3d4e5f64f2a");

        Assert.Equal("the instance ending in 4f2a", spoken.Text);
        Assert.Contains("<say-as interpret-as=\"characters\">4f2a</say-as>", spoken.SsmlBody);
    }

    [Fact]
    public void Instance_FollowsSpeakInstanceIds()
    {
        var instance = new InstanceInfo("i-0a1b2c3d4e5f64f2a", null, "running", null, "10.0.2.21", null, new Dictionary<string, string>());

        Assert.Equal("an unnamed instance", Discretion.Instance(Lang, Never, instance.Name, instance.Id).Text);
        Assert.Equal("i-0a1b2c3d4e5f64f2a", Discretion.Instance(Lang, Full, instance.Name, instance.Id).Text);
    }

    [Fact]
    public async Task HandleAsync_WhenAHandlerSpeaksAPrivateAddress_ThePipelineMovesItToTheCard()
    {
        var driver = new SkillDriver(extraHandlers: [new LeakyHandler()]);

        var reply = await driver.SendAsync(AlexaRequests.Intent("BlockedTrafficIntent", ("InstanceName", "web-1")));

        Assert.Equal("web-1 blocked traffic from a private address in the account. I've put the details on the card in the Alexa app.", reply.Speech);
        Assert.Contains("10.0.1.11", reply.CardText);
        Assert.Contains("111122223333", reply.CardText);
        Assert.Equal(["Looking up a private address."], driver.Progress.Spoken);
    }

    [Fact]
    public void ContainsSensitive_RecognisesEachKind()
    {
        Assert.True(Discretion.ContainsSensitive("10.0.0.1", Ending));
        Assert.True(Discretion.ContainsSensitive("111122223333", Ending));
        Assert.True(Discretion.ContainsSensitive("i-0a1b2c3d4e5f64f2a", Ending));
        Assert.False(Discretion.ContainsSensitive("i-0a1b2c3d4e5f64f2a", Full));
        Assert.False(Discretion.ContainsSensitive("web-1", Ending));
    }

    private sealed class LeakyHandler : IntentHandler
    {
        public override IReadOnlyList<string> Intents { get; } = ["BlockedTrafficIntent"];

        public override async Task<Reply> HandleAsync(TurnContext turn)
        {
            await turn.Progress.SayAsync("Looking up 10.0.1.11.", turn.Cancellation);
            return Reply.Tell("web-1 blocked traffic from 10.0.1.11 in 111122223333.");
        }
    }
}
