using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Shipping;

namespace SecurityAlexa.Tests.Screens;

/// <summary>The skill package declares the APL interface, or Alexa never sends the skill a device with a screen.</summary>
public sealed class ManifestScreenTests
{
    [Fact]
    public void Manifest_DeclaresAplWithHubViewports()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(RepoFiles.ManifestPath))!;

        var interfaces = manifest["manifest"]!["apis"]!["custom"]!["interfaces"]!.AsArray();

        var apl = Assert.Single(interfaces, i => (string?)i!["type"] == "ALEXA_PRESENTATION_APL")!;
        var viewports = apl["supportedViewports"]!.AsArray();
        Assert.Contains(viewports, v => (string?)v!["mode"] == "HUB" && (string?)v["shape"] == "RECTANGLE");
        Assert.Contains(viewports, v => (string?)v!["mode"] == "HUB" && (string?)v["shape"] == "ROUND");
    }
}
