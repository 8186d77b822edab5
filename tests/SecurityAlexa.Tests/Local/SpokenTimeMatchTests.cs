using SecurityAlexa.Local.Chat;
using SecurityAlexa.Tests.Shipping;

namespace SecurityAlexa.Tests.Local;

/// <summary>The local runner hears a spoken window for GuardDuty as Alexa would fill AMAZON.DURATION and AMAZON.DATE.</summary>
public sealed class SpokenTimeMatchTests
{
    // A Thursday.
    private static readonly DateTimeOffset Now = new(2026, 12, 10, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("what did guard duty find in the last six hours", "Within", "PT6H")]
    [InlineData("what did guard duty find in the last hour", "Within", "PT1H")]
    [InlineData("any findings in the last 2 days", "Within", "P2D")]
    [InlineData("any findings in the last week", "Within", "P1W")]
    [InlineData("any findings since yesterday", "Since", "2026-12-09")]
    [InlineData("what did guard duty find this week", "Since", "2026-W50")]
    [InlineData("what did guard duty find since last week", "Since", "2026-W49")]
    [InlineData("what did guard duty find since this month", "Since", "2026-12")]
    // As on Alexa, a bare weekday is the next one: the skill reads a date within 6 days ahead as the last one.
    [InlineData("any findings since monday", "Since", "2026-12-14")]
    public void English(string said, string slot, string value)
    {
        var matcher = new UtteranceMatcher(InteractionModel.Load(RepoFiles.ModelPath), "en-US", () => Now);

        var match = matcher.Match(said);

        Assert.NotNull(match);
        Assert.Equal("GuardDutyFindingsIntent", match.Intent);
        Assert.Equal(value, match.Slots[slot].Value);
    }

    [Theory]
    [InlineData("過去6時間の検出結果は", "Within", "PT6H")]
    [InlineData("過去二日の検出結果は", "Within", "P2D")]
    [InlineData("昨日からの検出結果は", "Since", "2026-12-09")]
    [InlineData("今週の検出結果は", "Since", "2026-W50")]
    [InlineData("月曜日からの検出結果は", "Since", "2026-12-14")]
    public void Japanese(string said, string slot, string value)
    {
        var matcher = new UtteranceMatcher(InteractionModel.Load(RepoFiles.JapaneseModelPath), "ja-JP", () => Now);

        var match = matcher.Match(said);

        Assert.NotNull(match);
        Assert.Equal("GuardDutyFindingsIntent", match.Intent);
        Assert.Equal(value, match.Slots[slot].Value);
    }
}
