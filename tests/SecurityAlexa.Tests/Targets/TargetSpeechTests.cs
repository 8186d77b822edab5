using SecurityAlexa.Alexa;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Targets;

public sealed class TargetSpeechTests
{
    [Fact]
    public void ReplyFor_WhenAmbiguousAndTheIntentHasTheSlot_ElicitsItWithTheQuestion()
    {
        var turn = Turns.From(AlexaRequests.Intent("ScanIntent", ("TagKey", "role"), ("TagValue", "web"), ("InstanceName", null)));
        var result = new TargetResult.Ambiguous(AmbiguityKind.TagValue, "web", ["web-server", "web-cache"]);

        var reply = TargetSpeech.ReplyFor(turn, result);

        var elicit = Assert.IsType<DialogElicitSlot>(Assert.Single(reply.Directives));
        Assert.Equal("TagValue", elicit.SlotToElicit);
        Assert.Null(elicit.UpdatedIntent!.Slots!["TagValue"].Value);
        Assert.Equal("role", elicit.UpdatedIntent.Slots["TagKey"].Value);
        Assert.Equal("Which one do you mean: web-server or web-cache?", reply.Speech.Text);
        Assert.False(reply.EndSession);
    }

    [Fact]
    public void ReplyFor_WhenNotFound_ExplainsAndKeepsListening()
    {
        var turn = Turns.From(AlexaRequests.Intent("ScanIntent", ("TagKey", "environment"), ("TagValue", "qa")));
        var result = new TargetResult.NotFound(NotFoundKind.NoSuchTagValue, "qa", "Environment", ["prod", "staging", "dev"]);

        var reply = TargetSpeech.ReplyFor(turn, result);

        Assert.Empty(reply.Directives);
        Assert.Equal("I found no instances tagged Environment qa. The Environment tag has the values prod, staging and dev.", reply.Speech.Text);
        Assert.NotNull(reply.Reprompt);
    }

    [Fact]
    public void ReplyFor_WhenTheKeyWasUnderstoodThroughASynonym_NamesTheWordSaidAndTheKey()
    {
        var turn = Turns.From(AlexaRequests.Intent("ScanIntent", ("TagKey", "team"), ("TagValue", "platform")).Resolved("TagKey", "Owner"));
        var result = new TargetResult.NotFound(NotFoundKind.NoSuchTagKey, "Owner", null, ["Environment", "Role"]);

        var reply = TargetSpeech.ReplyFor(turn, result);

        Assert.Equal("I found no tag called team (Owner). The tags on your instances are Environment and Role.", reply.Speech.Text);
    }

    [Fact]
    public void ReplyFor_WhenTheKeyWasSaidAsItIs_NamesItOnce()
    {
        var turn = Turns.From(AlexaRequests.Intent("ScanIntent", ("TagKey", "owner"), ("TagValue", "platform")).Resolved("TagKey", "Owner"));
        var result = new TargetResult.NotFound(NotFoundKind.NoSuchTagKey, "Owner", null, ["Environment"]);

        Assert.Equal("I found no tag called Owner. The tags on your instances are Environment.", TargetSpeech.ReplyFor(turn, result).Speech.Text);
    }

    [Fact]
    public void ReplyFor_WhenTheValueWasUnderstoodThroughASynonym_NamesTheWordSaidAndTheValue()
    {
        var turn = Turns.From(AlexaRequests.Intent("ScanIntent", ("TagKey", "environment"), ("TagValue", "production")).Resolved("TagValue", "prod"));
        var result = new TargetResult.NotFound(NotFoundKind.NoSuchTagValue, "prod", "Environment", ["staging", "dev"]);

        Assert.Equal("I found no instances tagged Environment production (prod). The Environment tag has the values staging and dev.",
            TargetSpeech.ReplyFor(turn, result).Speech.Text);
    }

    [Fact]
    public void Query_ReadsTheAgreedSlots()
    {
        var turn = Turns.From(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null)));

        var query = TargetSpeech.Query(turn);

        Assert.Equal("web one", query.Name);
        Assert.Null(query.TagKey);
    }

    [Fact]
    public async Task SandboxResolver_WhenAskedForProd_FindsTheThreeProdInstances()
    {
        var services = SandboxAccount.CreateDefault(TimeProvider.System).Services();

        var targets = TargetsModule.ResolverOver(services.Instances, TimeProvider.System)!;

        var result = await targets.ResolveAsync(new TargetQuery { TagValue = "production" }, CancellationToken.None);

        var found = Assert.IsType<TargetResult.Found>(result);
        Assert.Equal(["db-1", "web-1", "web-2"], found.Selection.Instances.Select(i => i.DisplayName));
        Assert.Equal("tagged Environment prod", TargetSpeech.Describe(SecurityAlexa.Skill.Speech.SpeechCatalog.LoadEmbedded().For("en-US"), found.Selection).Text);
    }
}
