using SecurityAlexa.Local.Chat;
using SecurityAlexa.Tests.Shipping;

namespace SecurityAlexa.Tests.Local;

public sealed class UtteranceMatcherTests
{
    private static readonly InteractionModel Model = InteractionModel.Load(RepoFiles.ModelPath);
    private static readonly UtteranceMatcher Matcher = new(Model);

    // A value a user would say for each slot type, and the canonical value it should resolve to.
    private static readonly Dictionary<string, (string Said, string Resolved)> Examples = new(StringComparer.Ordinal)
    {
        ["TAG_KEY"] = ("environment", "Environment"),
        ["TAG_VALUE"] = ("production", "prod"),
        ["INSTANCE_NAME"] = ("web one", "web-1"),
        ["SEVERITY"] = ("critical", "critical"),
        ["WHICH_ONES"] = ("all of them", "all"),
        ["SCOPE"] = ("vulnerable", "vulnerable"),
        ["ISOLATION_REASON"] = ("malware", "malware"),
        ["AMAZON.NUMBER"] = ("three", "3"),
        ["AMAZON.FOUR_DIGIT_NUMBER"] = ("one two three four", "1234"),
        ["IP_ADDRESS"] = ("203 dot 0 dot 113 dot 5", "203 dot 0 dot 113 dot 5"),
        ["AMAZON.DURATION"] = ("six hours", "PT6H"),
        ["AMAZON.DATE"] = ("yesterday", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        ["ACCOUNT"] = ("all accounts", "every account"),
        ["REGION"] = ("eu west one", "Ireland"),
    };

    /// <summary>Every sample utterance in the model, with its slots filled as a user would say them.</summary>
    public static TheoryData<string, string?, string> EverySample() => ModelSamples.Every(Model);

    [Theory]
    [MemberData(nameof(EverySample))]
    public void Match_WhenTheUserSaysASample_ResolvesItsOwnIntentAndSlots(string intent, string? elicitedSlot, string sample) =>
        ModelSamples.AssertResolves(Model, Matcher, Examples, intent, elicitedSlot, sample);

    [Theory]
    [InlineData("scan web one", "ScanIntent", "InstanceName", "web-1")]
    [InlineData("scan prod", "ScanIntent", "TagValue", "prod")]
    [InlineData("Scan the instances tagged Environment = production!", "ScanIntent", "TagValue", "prod")]
    [InlineData("run a vulnerability scan on prod", "ScanIntent", "TagValue", "prod")]
    [InlineData("how many critical vulnerabilities does db one have", "ScanResultsIntent", "Severity", "critical")]
    [InlineData("patch all of them", "PatchIntent", "Selection", "all")]
    [InlineData("all except db-1", "PatchIntent", "ExceptName", "db-1")]
    [InlineData("just web-1", "PatchIntent", "InstanceName", "web-1")]
    [InlineData("isolate web-1", "IsolateIntent", "InstanceName", "web-1")]
    [InlineData("quarantine the instances tagged incident forty two", "IsolateIntent", "TagKey", "Incident")]
    [InlineData("un-isolate web two", "ReleaseIntent", "InstanceName", "web-2")]
    [InlineData("how much traffic was blocked for web one", "BlockedTrafficIntent", "InstanceName", "web-1")]
    // Issue 16's families: Inspector's words, yes/no questions, "what is the ... status".
    [InlineData("run inspector on the instances tagged environment production", "ScanIntent", "TagValue", "prod")]
    [InlineData("run an assessment on web one", "ScanIntent", "InstanceName", "web-1")]
    [InlineData("audit staging", "ScanIntent", "TagValue", "staging")]
    [InlineData("inspect db one", "ScanIntent", "InstanceName", "db-1")]
    [InlineData("do we have any high findings", "ScanResultsIntent", "Severity", "high")]
    [InlineData("is anything critical on prod", "ScanResultsIntent", "Severity", "critical")]
    [InlineData("what is the scan status of production", "ScanResultsIntent", "TagValue", "prod")]
    [InlineData("patch everything tagged environment dev", "PatchIntent", "TagValue", "dev")]
    public void Match_WhenSaidNaturally_FindsTheIntentAndResolvesTheSlot(string utterance, string intent, string slot, string resolved)
    {
        var match = Matcher.Match(utterance);

        Assert.NotNull(match);
        Assert.Equal(intent, match.Intent);
        Assert.Equal(SlotResolution.Match, match.Slots[slot].Resolution);
        Assert.Equal(resolved, match.Slots[slot].ResolvedName);
    }

    [Theory]
    [InlineData("are there any isolated instances", "IsolationStatusIntent")]
    [InlineData("do we have anything isolated", "IsolationStatusIntent")]
    [InlineData("what is the isolation status", "IsolationStatusIntent")]
    [InlineData("status of the isolation", "IsolationStatusIntent")]
    [InlineData("is anything being patched", "PatchStatusIntent")]
    [InlineData("are there any patches running", "PatchStatusIntent")]
    [InlineData("what is the patching status", "PatchStatusIntent")]
    [InlineData("status of the patch run", "PatchStatusIntent")]
    [InlineData("what did the assessment find", "ScanResultsIntent")]
    [InlineData("status of the scan", "ScanResultsIntent")]
    [InlineData("run an inspection", "ScanIntent")]
    public void Match_WhenAskedTheWaysANewUserAsks_FindsTheIntent(string utterance, string intent) =>
        Assert.Equal(intent, Matcher.Match(utterance)?.Intent);

    [Fact]
    public void Match_WhenTheSlotWordsMatchNoValue_KeepsTheWordsUnresolved()
    {
        var match = Matcher.Match("isolate instance ending in four f two a");

        Assert.NotNull(match);
        Assert.Equal("IsolateIntent", match.Intent);
        Assert.Equal("four f two a", match.Slots["InstanceName"].Value);
        Assert.Equal(SlotResolution.NoMatch, match.Slots["InstanceName"].Resolution);
        Assert.Null(match.Slots["InstanceName"].ResolvedName);
    }

    [Theory]
    [InlineData("yes", "AMAZON.YesIntent")]
    [InlineData("yeah go ahead", null)]
    [InlineData("go ahead", "AMAZON.YesIntent")]
    [InlineData("no thanks", "AMAZON.NoIntent")]
    [InlineData("cancel", "AMAZON.CancelIntent")]
    [InlineData("never mind", "AMAZON.CancelIntent")]
    [InlineData("stop", "AMAZON.StopIntent")]
    [InlineData("help", "AMAZON.HelpIntent")]
    [InlineData("what can you do", "AMAZON.HelpIntent")]
    [InlineData("what's the weather like in Seattle", null)]
    public void Match_ForBuiltInPhrasesAndStrangers_FindsTheBuiltInOrNothing(string utterance, string? intent) =>
        Assert.Equal(intent, Matcher.Match(utterance)?.Intent);

    [Fact]
    public void MatchInDialog_WhenAskedWhichOnes_TakesTheAnswerForTheSameIntent()
    {
        Assert.Equal("all", Matcher.MatchInDialog("all of them", "PatchIntent", "Selection")!.Slots["Selection"].ResolvedName);
        Assert.Equal("web-1", Matcher.MatchInDialog("web-1", "PatchIntent", "Selection")!.Slots["InstanceName"].ResolvedName);
        Assert.Equal("db-1", Matcher.MatchInDialog("all except db one", "PatchIntent", "Selection")!.Slots["ExceptName"].ResolvedName);
        Assert.Equal("AMAZON.CancelIntent", Matcher.MatchInDialog("cancel", "PatchIntent", "Selection")!.Intent);
        Assert.Equal("PatchStatusIntent", Matcher.MatchInDialog("how is the patching going", "PatchIntent", "Selection")!.Intent);
    }

    [Fact]
    public void Match_WhenASlotSampleIsSaidOutsideItsDialog_DoesNotMatchIt() =>
        Assert.Null(Matcher.Match("all of them"));

    [Theory]
    [InlineData("yes three", "ConfirmCount", "3")]
    [InlineData("twenty one instances", "ConfirmCount", "21")]
    [InlineData("my code is four two four two", "SecurityCode", "4242")]
    [InlineData("the code is twelve thirty four", "SecurityCode", "1234")]
    [InlineData("7788", "SecurityCode", "7788")]
    public void MatchInDialog_ForNumberSlots_TurnsWordsIntoDigits(string utterance, string slot, string digits)
    {
        var match = Matcher.MatchInDialog(utterance, "IsolateIntent", slot);

        Assert.NotNull(match);
        Assert.Equal("IsolateIntent", match.Intent);
        Assert.Equal(digits, match.Slots[slot].Value);
    }

    [Theory]
    [InlineData("three", 3)]
    [InlineData("twenty one", 21)]
    [InlineData("two hundred and five", 205)]
    [InlineData("one thousand two hundred", 1200)]
    [InlineData("42", 42)]
    public void TryParseNumber_WhenSpoken_ReturnsTheNumber(string words, long expected)
    {
        Assert.True(NumberWords.TryParseNumber(words.Split(' '), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("three apples")]
    [InlineData("web")]
    public void TryParseNumber_WhenNotANumber_Fails(string words) => Assert.False(NumberWords.TryParseNumber(words.Split(' '), out _));

    [Theory]
    [InlineData("one two three")]
    [InlineData("12345")]
    [InlineData("twelve")]
    public void TryParseFourDigits_WhenNotFourDigits_Fails(string words) => Assert.False(NumberWords.TryParseFourDigits(words.Split(' '), out _));

    [Fact]
    public void Parse_WhenASampleNamesAnUndefinedSlot_FailsSayingWhich()
    {
        var model = InteractionModel.Parse("""
            {"interactionModel":{"languageModel":{"invocationName":"x y","intents":[{"name":"A","slots":[],"samples":["scan {Nope}"]}]}}}
            """);

        var error = Assert.Throws<FormatException>(() => new UtteranceMatcher(model));

        Assert.Contains("Nope", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unblock two oh three dot zero dot one one three dot five", "UnblockAddressIntent", "two oh three dot zero dot one one three dot five")]
    [InlineData("block one nine eight dot five one dot one hundred dot zero slash twenty four on web one", "BlockAddressIntent",
        "one nine eight dot five one dot one hundred dot zero slash twenty four")]
    [InlineData("block two zero zero one colon d b eight colon colon one", "BlockAddressIntent", "two zero zero one colon d b eight colon colon one")]
    public void Match_WhenAnAddressIsSaidDigitByDigit_TakesEveryWordIntoTheAddressSlot(string utterance, string intent, string address)
    {
        // An address said digit by digit runs past the eight words other slots take.
        var match = Matcher.Match(utterance);

        Assert.NotNull(match);
        Assert.Equal(intent, match.Intent);
        Assert.Equal(address, match.Slots["Address"].Value);
    }
}
