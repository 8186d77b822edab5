using System.Collections;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tests.Skill;

/// <summary>
/// The catalogue reads a locale's phrases only when a request needs them (cold start, docs/performance.md), once,
/// and still falls back to en-US phrase by phrase.
/// </summary>
public sealed class SpeechCatalogLoadingTests
{
    [Fact]
    public void English_Turn_NeverReadsJapanese_AndEachLocaleIsReadOnce()
    {
        var en = new CountingPhrases(new() { ["Hello"] = "Hello {name}.", ["Bye"] = "Bye." });
        var ja = new CountingPhrases(new() { ["Hello"] = "こんにちは、{name}。" });
        var catalog = new SpeechCatalog(new Dictionary<string, IReadOnlyDictionary<string, string>> { ["en-US"] = en, ["ja-JP"] = ja });

        Assert.Equal(["en-US", "ja-JP"], catalog.Locales.Order(StringComparer.Ordinal));
        Assert.Equal(0, en.Reads + ja.Reads);

        Assert.Equal("Hello web-1.", catalog.For("en-US").Say("Hello", ("name", "web-1")).Text);
        Assert.Equal("Hello web-1.", catalog.For("fr-FR").Say("Hello", ("name", "web-1")).Text);
        Assert.Equal(1, en.Reads);
        Assert.Equal(0, ja.Reads);

        var japanese = catalog.For("ja-JP");
        Assert.Equal("こんにちは、web-1。", japanese.Say("Hello", ("name", "web-1")).Text);
        Assert.Equal("Bye.", japanese.Say("Bye").Text);
        Assert.Equal(["Hello"], catalog.Keys("ja-JP"));
        Assert.Equal(1, en.Reads);
        Assert.Equal(1, ja.Reads);
    }

    [Fact]
    public void Embedded_EveryLocaleLoads_AndTheSharedCatalogueIsOne()
    {
        var catalog = SpeechCatalog.LoadEmbedded();
        foreach (var locale in catalog.Locales) Assert.NotEmpty(catalog.Keys(locale));
        Assert.Same(SpeechCatalog.Embedded, SpeechCatalog.Embedded);
    }

    [Fact]
    public void ReadPhrases_ReadsCommentsTrailingCommasEscapesAndJapanese_TheLastOfATwiceGivenKeyWins()
    {
        var phrases = SpeechCatalog.ReadPhrases(
            "{ // phrases\n \"a\": \"one {n}\", \"b\": \"\\u3053\\u3093 \\\"q\\\" <x>\", \"a\": \"two\", \"c\": \"こんにちは\", }"u8,
            "t.json");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "two", ["b"] = "こん \"q\" <x>", ["c"] = "こんにちは" }, phrases);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"a\": 1}")]
    [InlineData("{\"a\": null}")]
    [InlineData("{\"a\": {\"b\": \"c\"}}")]
    [InlineData("")]
    [InlineData("{\"a\": \"b\"} garbage")]
    [InlineData("{\"a\": \"b\"} {\"c\": \"d\"}")]
    [InlineData("{\"a\": \"b\"")]
    public void ReadPhrases_WhenTheFileIsNotOneObjectOfStrings_SaysWhichFile(string json)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SpeechCatalog.ReadPhrases(System.Text.Encoding.UTF8.GetBytes(json), "Speech.x.json"));

        Assert.Contains("Speech.x.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPhrases_WhenAnEditorSavedAByteOrderMark_ReadsThePhrases()
    {
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b" }, SpeechCatalog.ReadPhrases("\uFEFF{\"a\": \"b\"}"u8, "t.json"));
    }

    // Counts how often the catalogue reads the phrases (enumerates them), which is what loading a locale does.
    private sealed class CountingPhrases(Dictionary<string, string> phrases) : IReadOnlyDictionary<string, string>
    {
        public int Reads { get; private set; }

        public string this[string key] => phrases[key];
        public IEnumerable<string> Keys => phrases.Keys;
        public IEnumerable<string> Values => phrases.Values;
        public int Count => phrases.Count;
        public bool ContainsKey(string key) => phrases.ContainsKey(key);
        public bool TryGetValue(string key, out string value) => phrases.TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            Reads++;
            return phrases.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
