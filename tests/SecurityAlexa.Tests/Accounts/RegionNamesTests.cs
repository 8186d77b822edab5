using System.Text.Json.Nodes;
using SecurityAlexa.Accounts;
using SecurityAlexa.Tests.Shipping;

namespace SecurityAlexa.Tests.Accounts;

/// <summary>The REGION slot type of both models and the names the skill speaks are one list.</summary>
public sealed class RegionNamesTests
{
    [Theory]
    [InlineData("en-US.json")]
    [InlineData("ja-JP.json")]
    public void Model_RegionType_HasEveryRegionOfTheSpokenList_ByCode(string model)
    {
        var root = JsonNode.Parse(File.ReadAllText(RepoFiles.Path("skill-package", "interactionModels", "custom", model)))!;
        var region = root["interactionModel"]!["languageModel"]!["types"]!.AsArray().Single(t => (string?)t!["name"] == "REGION")!;
        var ids = region["values"]!.AsArray().Select(v => (string?)v!["id"]).ToList();

        Assert.Equal(RegionNames.All.Select(r => r.Code), ids);
        Assert.All(region["values"]!.AsArray(), v => Assert.NotEmpty(v!["name"]!["synonyms"]!.AsArray()));
    }

    [Theory]
    [InlineData("Ireland", "eu-west-1")]
    [InlineData("eu west one", "eu-west-1")]
    [InlineData("us-east-1", "us-east-1")]
    [InlineData("North Virginia", "us-east-1")]
    [InlineData("Frankfurt", "eu-central-1")]
    [InlineData("東京", "ap-northeast-1")]
    [InlineData("アイルランドリージョン", "eu-west-1")]
    [InlineData("the Tokyo region", "ap-northeast-1")]
    public void Find_WhenANameOrCodeIsSaid_GivesTheCode(string said, string code) => Assert.Equal(code, RegionNames.Find(said));

    [Theory]
    [InlineData("Atlantis")]
    [InlineData("")]
    public void Find_WhenNoRegionFits_GivesNull(string said) => Assert.Null(RegionNames.Find(said));
}
