using System.Text.RegularExpressions;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Skill;

/// <summary>The ja-JP speech catalogue: complete, Japanese throughout, and formatted the Japanese way.</summary>
public sealed partial class JapaneseSpeechTests
{
    private static readonly SpeechCatalog Catalog = SpeechCatalog.LoadEmbedded();
    private static readonly Lang Ja = Catalog.For("ja-JP");

    /// <summary>
    /// An English sentence, checkably: three or more ASCII words in a row. Names, ids, tag values and AWS
    /// product names are at most two words ("Amazon Inspector", "Systems Manager"), so they pass.
    /// </summary>
    public static bool HasEnglishSentence(string text, out string run)
    {
        var m = EnglishRun().Match(text);
        run = m.Value;
        return m.Success;
    }

    [Fact]
    public void Catalog_HasJapanese()
    {
        Assert.Contains("ja-JP", Catalog.Locales);
        Assert.Equal("ja-JP", Ja.Locale);
    }

    [Fact]
    public void EveryEnglishPhrase_HasAJapaneseForm_AndNoJapanesePhraseIsExtra()
    {
        var english = Catalog.Keys("en-US").ToHashSet(StringComparer.Ordinal);
        var japanese = Catalog.Keys("ja-JP").ToHashSet(StringComparer.Ordinal);

        Assert.Empty(english.Except(japanese).Order(StringComparer.Ordinal));
        Assert.Empty(japanese.Except(english).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void JapanesePhrases_UseOnlyPlaceholdersTheEnglishOnesGet()
    {
        // The code passes the values the en-US phrase needs; a ja-JP phrase asking for another would throw.
        var en = Catalog.For("en-US");
        var problems = Catalog.Keys("ja-JP")
            .SelectMany(key => Placeholders(Ja.Template(key)).Except(Placeholders(en.Template(key))).Select(p => $"{key}: {{{p}}}"))
            .ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public void JapanesePhrases_ContainNoEnglishSentence()
    {
        var problems = new List<string>();
        foreach (var key in Catalog.Keys("ja-JP"))
        {
            // A placeholder is a value (a name, an id, a count), not words of the phrase.
            var words = Placeholder().Replace(Ja.Template(key), "値");
            if (HasEnglishSentence(words, out var run)) problems.Add($"{key}: \"{run}\"");
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("security assistant here and now", true)]
    [InlineData("Amazon Inspectorによると", false)]
    [InlineData("web-1、web-2、db-1", false)]
    [InlineData("Environmentタグがprodの3台", false)]
    [InlineData("I'd patch them", true)]
    public void HasEnglishSentence_FindsThreeAsciiWordsInARow(string text, bool expected) =>
        Assert.Equal(expected, HasEnglishSentence(text, out _));

    [Fact]
    public void Counts_TakeTheirCounterWithNoSpace()
    {
        Assert.Equal("3台", Ja.Count(3, "instance"));
        Assert.Equal("1台", Ja.Count(1, "instance"));
        Assert.Equal("11件", Ja.Count(11, "vulnerability"));
        Assert.Equal("2つのネットワークインターフェイス", Ja.Count(2, "isolate.interface"));
        Assert.Equal("3 instances", Catalog.For("en-US").Count(3, "instance"));
    }

    [Fact]
    public void Lists_AreJoinedWithTheJapaneseComma()
    {
        Assert.Equal("web-1、web-2、db-1", Ja.List(["web-1", "web-2", "db-1"]));
        Assert.Equal("web-1", Ja.List(["web-1"]));
        Assert.Equal("web-1、またはweb-2", Ja.ListOr(["web-1", "web-2"]));
        Assert.Equal("a、b、ほか2個", Ja.ListSome(["a", "b", "c", "d"], 2));
        Assert.Equal("web-1, web-2 and db-1", Catalog.For("en-US").List(["web-1", "web-2", "db-1"]));
    }

    [Fact]
    public void Durations_AndTimes_AreSaidTheJapaneseWay()
    {
        var now = new DateTimeOffset(2026, 12, 6, 10, 42, 0, TimeSpan.Zero);

        Assert.Equal("45秒", Ja.Duration(TimeSpan.FromSeconds(45)));
        Assert.Equal("14分", Ja.Duration(TimeSpan.FromMinutes(14)));
        Assert.Equal("2時間", Ja.Duration(TimeSpan.FromHours(2)));
        Assert.Equal("3日", Ja.Duration(TimeSpan.FromDays(3)));
        Assert.Equal("2時間前", Ja.Ago(now.AddHours(-2), now));
        Assert.Equal("たった今", Ja.Ago(now, now));
        Assert.Equal("10時42分", Ja.Clock(now));
        Assert.Equal("10:42", Catalog.For("en-US").Clock(now));
    }

    [Theory]
    [InlineData("critical", "緊急")]
    [InlineData("high", "高")]
    [InlineData("medium", "中")]
    public void Severities_AreInspectorsJapaneseWords(string severity, string expected) =>
        Assert.Equal(expected, Ja.Text("scan.severity." + severity));

    [Fact]
    public void IdEndings_AreReadCharacterByCharacter()
    {
        var said = Ja.Say("isolate.readBack.one", ("name", (object?)"web-1"), ("idEnd", SecurityAlexa.Isolation.IsolationSpeech.End("i-0abc0001")), ("vpcEnd", SecurityAlexa.Isolation.IsolationSpeech.End("vpc-prod")));

        Assert.Contains("<say-as interpret-as=\"characters\">0001</say-as>", said.SsmlBody, StringComparison.Ordinal);
        Assert.StartsWith("web-1、IDの末尾が0001のインスタンスを", said.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja-JP", "セキュリティアシスタントです。")]
    [InlineData("en-US", "Security assistant here.")]
    [InlineData("fr-FR", "Security assistant here.")]
    [InlineData("ja-jp", "セキュリティアシスタントです。")]
    public async Task Launch_IsAnsweredInTheRequestsLocale_FallingBackToEnglish(string locale, string expected)
    {
        var driver = new SkillDriver();
        var request = AlexaRequests.Launch();
        request.Request["locale"] = locale;

        var reply = (await driver.SendAsync(request)).AssertWellFormed();

        Assert.StartsWith(expected, reply.Speech, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AMAZON.HelpIntent")]
    [InlineData("AMAZON.FallbackIntent")]
    [InlineData("AMAZON.CancelIntent")]
    [InlineData("AMAZON.YesIntent")]
    [InlineData("PatchIntent")]
    [InlineData("IsolateIntent")]
    public async Task JapaneseRequests_AreAnsweredInJapanese_WithNoEnglishSentence(string intent)
    {
        var driver = new SkillDriver();
        var request = AlexaRequests.Intent(intent);
        request.Request["locale"] = "ja-JP";

        var reply = (await driver.SendAsync(request)).AssertWellFormed();

        Assert.Matches(Kana(), reply.Speech);
        Assert.False(HasEnglishSentence(reply.Speech, out var run), run);
    }

    private static IEnumerable<string> Placeholders(string template) => Placeholder().Matches(template).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[A-Za-z][A-Za-z'’]*(?:[ \t]+[A-Za-z][A-Za-z'’]*){2,}")]
    private static partial Regex EnglishRun();

    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}]")]
    private static partial Regex Kana();
}
