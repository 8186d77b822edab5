using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityAlexa.Local.Chat;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// The ja-JP interaction model: the same intents, slots, slot-type ids and dialog as en-US, enough natural Japanese
/// samples, and every sample understood (character by character) as its own intent.
/// </summary>
public sealed partial class JapaneseModelTests
{
    private static readonly InteractionModel English = InteractionModel.Load(RepoFiles.ModelPath);
    private static readonly InteractionModel Japanese = InteractionModel.Load(RepoFiles.JapaneseModelPath);
    private static readonly UtteranceMatcher Matcher = new(Japanese, "ja-JP");

    // What a Japanese user says for each slot type, and what it must resolve to (the handlers' canonical values).
    private static readonly Dictionary<string, (string Said, string Resolved)> Examples = new(StringComparer.Ordinal)
    {
        ["TAG_KEY"] = ("環境", "Environment"),
        ["TAG_VALUE"] = ("本番", "prod"),
        ["INSTANCE_NAME"] = ("ウェブ1", "web-1"),
        ["SEVERITY"] = ("緊急", "critical"),
        ["WHICH_ONES"] = ("全部", "all"),
        ["SCOPE"] = ("脆弱な", "vulnerable"),
        ["ISOLATION_REASON"] = ("マルウェア", "マルウェア"),
        ["AMAZON.NUMBER"] = ("三", "3"),
        ["AMAZON.FOUR_DIGIT_NUMBER"] = ("1234", "1234"),
        ["IP_ADDRESS"] = ("ニーゼロサンてんゼロてんイチイチサンてんゴ", "two oh three dot zero dot one one three dot five"),
        ["AMAZON.DURATION"] = ("六時間", "PT6H"),
        ["AMAZON.DATE"] = ("昨日", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        ["ACCOUNT"] = ("すべて", "every account"),
        ["REGION"] = ("アイルランド", "Ireland"),
    };

    public static TheoryData<string> SkillIntents()
    {
        var data = new TheoryData<string>();
        foreach (var intent in English.Intents.Where(i => !i.Name.StartsWith("AMAZON.", StringComparison.Ordinal))) data.Add(intent.Name);
        return data;
    }

    public static TheoryData<string, string?, string> EverySample() => ModelSamples.Every(Japanese);

    [Fact]
    public void InvocationName_IsJapanese()
    {
        Assert.Equal("セキュリティアシスタント", Japanese.InvocationName);
        Assert.Matches(@"^\p{IsKatakana}+$", Japanese.InvocationName);
    }

    [Fact]
    public void Intents_AreTheEnglishOnes_WithTheSameSlotsAndTypes()
    {
        Assert.Equal(English.Intents.Select(i => i.Name), Japanese.Intents.Select(i => i.Name));
        foreach (var intent in English.Intents)
        {
            var ja = Japanese.Intent(intent.Name)!;
            Assert.Equal(intent.Slots.Select(s => (s.Name, s.Type)), ja.Slots.Select(s => (s.Name, s.Type)));
            // A slot the skill elicits needs Japanese answers too.
            Assert.All(intent.Slots.Where(s => s.Samples.Count > 0), s => Assert.NotEmpty(ja.Slot(s.Name)!.Samples));
        }
    }

    [Theory]
    [MemberData(nameof(SkillIntents))]
    public void Intent_HasAtLeastThirtyJapaneseSamples(string intent) =>
        Assert.InRange(Japanese.Intent(intent)!.Samples.Count, 30, int.MaxValue);

    [Fact]
    public void SlotTypes_HaveTheEnglishIds_AndJapaneseSynonyms()
    {
        Assert.Equal(English.Types.Keys.Order(StringComparer.Ordinal), Japanese.Types.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, type) in English.Types)
        {
            var ja = Japanese.Types[name];
            Assert.Equal(type.Values.Select(v => v.Id), ja.Values.Select(v => v.Id));
            Assert.All(ja.Values, v => Assert.Contains(v.Synonyms, s => Kana().IsMatch(s) || Kanji().IsMatch(s)));
            // Tags, severities and the answer words are matched against the account and the handlers: the canonical value stays.
            if (name != "ISOLATION_REASON") Assert.Equal(type.Values.Select(v => v.Name), ja.Values.Select(v => v.Name));
        }
    }

    [Theory]
    [InlineData("TAG_KEY", "環境", "Environment")]
    [InlineData("TAG_VALUE", "本番", "prod")]
    [InlineData("TAG_VALUE", "ステージング", "staging")]
    [InlineData("TAG_VALUE", "検証", "staging")]
    [InlineData("TAG_VALUE", "開発", "dev")]
    [InlineData("SEVERITY", "緊急", "critical")]
    [InlineData("SEVERITY", "高", "high")]
    [InlineData("SEVERITY", "中", "medium")]
    [InlineData("SEVERITY", "低", "low")]
    public void SlotType_HasTheJapaneseSynonym(string type, string synonym, string canonical) =>
        Assert.Contains(Japanese.Types[type].Values, v => v.Name == canonical && v.Synonyms.Contains(synonym));

    [Fact]
    public void Samples_AreJapaneseWithoutDigitsOrPunctuation_AndNotRepeated()
    {
        var all = Japanese.Intents.SelectMany(i => i.Samples.Select(s => (i.Name, Sample: s))
            .Concat(i.Slots.SelectMany(slot => slot.Samples.Select(s => (i.Name, Sample: s))))).ToList();

        // Alexa rejects digits and punctuation in samples; numbers are said through number slots.
        Assert.Empty(all.Where(x => !SampleText().IsMatch(x.Sample)).Select(x => $"{x.Name}: {x.Sample}"));
        Assert.Empty(Japanese.Intents.SelectMany(i => i.Samples.Select(s => (i.Name, s))).GroupBy(x => x.s).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void Dialog_IsTheEnglishDialog_WithJapanesePrompts()
    {
        Assert.Equal(English.Dialog.Keys.Order(StringComparer.Ordinal), Japanese.Dialog.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, rules) in English.Dialog)
        {
            var ja = Japanese.Dialog[name];
            Assert.Equal(rules.ConfirmationRequired, ja.ConfirmationRequired);
            Assert.Equal(rules.ConfirmationPrompt, ja.ConfirmationPrompt);
            Assert.Equal(rules.Slots, ja.Slots);
        }
        Assert.Equal(English.Prompts.Keys.Order(StringComparer.Ordinal), Japanese.Prompts.Keys.Order(StringComparer.Ordinal));
        Assert.All(Japanese.Prompts.Values.SelectMany(v => v), p => Assert.Matches(Kana(), p));
        Assert.Equal("SKILL_RESPONSE", (string?)JsonNode.Parse(File.ReadAllText(RepoFiles.JapaneseModelPath))!["interactionModel"]!["dialog"]!["delegationStrategy"]);
    }

    [Theory]
    [MemberData(nameof(EverySample))]
    public void Match_WhenTheUserSaysASample_ResolvesItsOwnIntentAndSlots(string intent, string? elicitedSlot, string sample) =>
        ModelSamples.AssertResolves(Japanese, Matcher, Examples, intent, elicitedSlot, sample);

    [Theory]
    [InlineData("本番スキャンして", "ScanIntent", "TagValue", "prod")]
    [InlineData("環境タグが検証のインスタンスを診断してください", "ScanIntent", "TagValue", "staging")]
    [InlineData("ウェブ１をスキャンして", "ScanIntent", "InstanceName", "web-1")]
    [InlineData("緊急の脆弱性はありますか？", "ScanResultsIntent", "Severity", "critical")]
    [InlineData("開発環境にパッチを当てて", "PatchIntent", "TagValue", "dev")]
    [InlineData("ディービー1以外", "PatchIntent", "ExceptName", "db-1")]
    [InlineData("ウェブツー隔離して", "IsolateIntent", "InstanceName", "web-2")]
    [InlineData("ウェブワンの隔離を解除して", "ReleaseIntent", "InstanceName", "web-1")]
    [InlineData("web-1の隔離を解除して", "ReleaseIntent", "InstanceName", "web-1")]
    public void Match_WhenSaidNaturally_FindsTheIntentAndResolvesTheSlot(string utterance, string intent, string slot, string resolved)
    {
        var match = Matcher.Match(utterance);

        Assert.NotNull(match);
        Assert.Equal(intent, match.Intent);
        Assert.Equal(resolved, match.Slots[slot].ResolvedName);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("３台", 3)]
    [InlineData("三", 3)]
    [InlineData("十二", 12)]
    [InlineData("二百五", 205)]
    [InlineData("千", 1000)]
    public void JapaneseNumbers_AreReadAsAlexaDeliversThem(string said, long expected)
    {
        Assert.True(NumberWords.TryParseJapanese(said, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1234", "1234")]
    [InlineData("１２３４", "1234")]
    [InlineData("一二三四", "1234")]
    [InlineData("〇九八七", "0987")]
    public void JapaneseSecurityCodes_AreFourDigits(string said, string expected)
    {
        Assert.True(NumberWords.TryParseJapaneseFourDigits(said, out var digits));
        Assert.Equal(expected, digits);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("いちにさん")]
    [InlineData("12345")]
    public void JapaneseSecurityCodes_OtherThanFourDigits_AreNotCodes(string said) =>
        Assert.False(NumberWords.TryParseJapaneseFourDigits(said, out _));

    [Fact]
    public void Manifest_HasJapanesePublishingInformation_WhosePhrasesTheModelUnderstands()
    {
        var locale = JsonNode.Parse(File.ReadAllText(RepoFiles.ManifestPath))!["manifest"]!["publishingInformation"]!["locales"]!["ja-JP"]!;
        var phrases = locale["examplePhrases"]!.AsArray().Select(p => (string)p!).ToList();

        Assert.Equal("セキュリティアシスタント", (string?)locale["name"]);
        Assert.Equal("アレクサ、セキュリティアシスタントを開いて", phrases[0]);
        foreach (var phrase in phrases.Skip(1))
        {
            var request = OneShot().Match(phrase);
            Assert.True(request.Success, phrase);
            var match = Matcher.Match(request.Groups[1].Value);
            Assert.True(match is not null && !match.Intent.StartsWith("AMAZON.", StringComparison.Ordinal), phrase);
        }
    }

    [GeneratedRegex(@"^(?:[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}ー々]|\{[A-Za-z]+\})+$")]
    private static partial Regex SampleText();


    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}]")]
    private static partial Regex Kana();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Kanji();

    [GeneratedRegex("^アレクサ、セキュリティアシスタントで(.+)$")]
    private static partial Regex OneShot();
}
