using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.GuardDuty;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>Finding types are spoken in plain words, in both languages, and never as their raw type.</summary>
public sealed partial class FindingWordsTests
{
    private static readonly SpeechCatalog Catalog = SpeechCatalog.LoadEmbedded();

    public static TheoryData<string> SandboxTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in new SandboxGuardDuty(new SandboxWorld(), new FakeTimeProvider()).FindingTypes) data.Add(type);
        return data;
    }

    [Theory]
    [MemberData(nameof(SandboxTypes))]
    public void EveryTypeTheSandboxUses_HasItsOwnEntry_NotTheFallback(string type)
    {
        Assert.True(FindingWords.Types.ContainsKey(type), type + " is not in the plain-words table");
        Assert.StartsWith("guardduty.kind.", FindingWords.KeyFor(type), StringComparison.Ordinal);
        Assert.NotEqual("guardduty.kind.unknown", FindingWords.KeyFor(type));
    }

    [Fact]
    public void EveryEntry_AndEveryPurpose_HasAPhraseInBothLanguages_ThatIsNotTheRawType()
    {
        var keys = FindingWords.Types.Values.Select(n => "guardduty.kind." + n)
            .Concat(FindingWords.Purposes.Select(p => "guardduty.purpose." + p)).Append("guardduty.kind.unknown").Distinct();
        foreach (var locale in new[] { "en-US", "ja-JP" })
        {
            var phrases = Catalog.Keys(locale).ToHashSet(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                Assert.True(phrases.Contains(key), $"{locale} lacks {key}");
                var text = Catalog.For(locale).Text(key);
                Assert.DoesNotMatch(RawType(), text);
            }
        }
    }

    [Theory]
    [InlineData("Backdoor:EC2/C&CActivity.B!DNS", "an instance talking to a known command-and-control server")]
    [InlineData("UnauthorizedAccess:EC2/SSHBruteForce", "someone trying to guess SSH passwords")]
    // A type the table does not know falls back to its threat purpose...
    [InlineData("Backdoor:Runtime/C&CActivity.B", "signs of a backdoor")]
    [InlineData("CryptoCurrency:Lambda/BitcoinTool.B", "signs of cryptocurrency mining")]
    // ...and one whose purpose is unknown too, to a generic phrase that points at the card.
    [InlineData("AttackSequence:EC2/CompromisedInstanceGroup", "suspicious activity of a kind I have no words for yet; its type is on the card")]
    [InlineData("", "suspicious activity of a kind I have no words for yet; its type is on the card")]
    [InlineData(null, "suspicious activity of a kind I have no words for yet; its type is on the card")]
    public void Say_GivesPlainWords_WithAFallbackForUnknownTypes(string? type, string expected) =>
        Assert.Equal(expected, FindingWords.Say(Catalog.For("en-US"), type).Text);

    // Something:Thing/Name, as GuardDuty writes types.
    [GeneratedRegex(@"\w+:\w+/\w")]
    private static partial Regex RawType();
}
