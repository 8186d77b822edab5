using SecurityAlexa.Targets;

namespace SecurityAlexa.Tests.Targets;

public sealed class SpokenMatchTests
{
    [Theory]
    [InlineData("web one", "web-1")]
    [InlineData("Web_One", "web-1")]
    [InlineData("web server", "web-server")]
    [InlineData("PATCH GROUP", "Patch Group")]
    [InlineData("four f two a", "4f2a")]
    [InlineData("web twenty one", "web-21")]
    [InlineData("web servers", "web-server")]
    [InlineData("environments", "Environment")]
    public void Compare_WhenOnlySpellingDiffers_IsSame(string heard, string real) =>
        Assert.Equal(MatchTier.Same, SpokenMatch.Compare(heard, real));

    [Theory]
    [InlineData("production", "prod")]
    [InlineData("development", "dev")]
    [InlineData("stage", "staging")]
    [InlineData("database one", "db-1")]
    public void Compare_WhenSynonym_IsSynonym(string heard, string real) =>
        Assert.Equal(MatchTier.Synonym, SpokenMatch.Compare(heard, real));

    [Theory]
    [InlineData("web", "web-server", MatchTier.Partial)]
    [InlineData("prod servers", "prod", MatchTier.Contained)]
    [InlineData("qa", "prod", MatchTier.None)]
    [InlineData("web", "webinar", MatchTier.None)]
    public void Compare_WhenWordsOverlap_RanksBelowExact(string heard, string real, MatchTier expected) =>
        Assert.Equal(expected, SpokenMatch.Compare(heard, real));
}
