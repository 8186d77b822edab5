using Moq;
using SecurityAlexa.Patching;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Tests.Patching;

/// <summary>The small rules: matching spoken names, baselines per patch group and OS, settings, the comment marker.</summary>
public sealed class PatchRulesTests
{
    private static readonly string[] Ids = ["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f64f2a"];
    private static readonly string[] Names = ["web-1", "web-2", "db-1"];

    [Theory]
    [InlineData("web one", "i-0a1b2c3d4e5f60001")]
    [InlineData("just Web-2", "i-0a1b2c3d4e5f60002")]
    [InlineData("the one ending in four f two a", "i-0a1b2c3d4e5f64f2a")]
    [InlineData("database one", null)]
    public void Match_WhenANameIsSpoken_FindsTheOfferedInstance(string heard, string? expected)
    {
        var (ids, unmatched) = PatchSelection.Match(heard, Ids, Names);

        if (expected is null) Assert.Equal(heard, unmatched);
        else Assert.Equal([expected], ids);
    }

    [Fact]
    public void Match_WhenSeveralNamesAreSpoken_FindsEachOne()
    {
        var (ids, unmatched) = PatchSelection.Match("web one and db one", Ids, Names);

        Assert.Null(unmatched);
        Assert.Equal(["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f64f2a"], ids);
    }

    [Fact]
    public void Match_WhenNamesHaveLeadingZeros_MatchesTheSpokenNumber()
    {
        var (ids, _) = PatchSelection.Match("node seven", ["i-1", "i-2"], ["node-070", "node-007"]);

        Assert.Equal(["i-2"], ids);
    }

    private static PatchTarget Target(string id, string name, string? platform = "Amazon Linux", string? version = "2023", params (string Key, string Value)[] tags)
    {
        var dict = tags.ToDictionary(t => t.Key, t => t.Value);
        return new PatchTarget(new InstanceInfo(id, name, "running", null, null, null, dict), new ManagedNode(id, "Online", platform, version, "Linux"));
    }

    [Fact]
    public async Task PlanAsync_WhenInstancesHavePatchGroups_UsesTheBaselineRegisteredForTheirGroupAndOs()
    {
        var patches = new Mock<IPatchManager>(MockBehavior.Strict);
        patches.Setup(p => p.ListPatchGroupBaselinesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new PatchGroupBaseline("prod", "pb-win", "prod-windows", "WINDOWS"),
            new PatchGroupBaseline("prod", "pb-al", "prod-linux", "AMAZON_LINUX_2023"),
        ]);
        patches.Setup(p => p.GetDefaultBaselineAsync("AMAZON_LINUX_2", It.IsAny<CancellationToken>())).ReturnsAsync("pb-al2-default");

        var uses = await PatchBaselines.PlanAsync(patches.Object,
        [
            Target("i-1", "a", tags: ("Patch Group", "prod")),
            Target("i-2", "b", tags: ("PatchGroup", "prod")),
            Target("i-3", "c", "Amazon Linux", "2", ("Patch Group", "prod")), // the group has no baseline for AL2
            Target("i-4", "d", "Amazon Linux", "2"),
        ], CancellationToken.None);

        Assert.Equal(2, uses.Count);
        Assert.Equal(("pb-al", "prod-linux"), (uses[0].BaselineId, uses[0].BaselineName));
        Assert.Equal(["a", "b"], uses[0].Targets.Select(t => t.Name));
        Assert.True(uses[1].IsDefault);
        Assert.Equal("pb-al2-default", uses[1].BaselineId);
        Assert.Equal(["c", "d"], uses[1].Targets.Select(t => t.Name));
        patches.Verify(p => p.GetDefaultBaselineAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PlanAsync_WhenNoInstanceHasAPatchGroup_DoesNotListPatchGroups()
    {
        var patches = new Mock<IPatchManager>(MockBehavior.Strict);
        patches.Setup(p => p.GetDefaultBaselineAsync("AMAZON_LINUX_2023", It.IsAny<CancellationToken>())).ReturnsAsync("pb-default");

        var uses = await PatchBaselines.PlanAsync(patches.Object, [Target("i-1", "a"), Target("i-2", "b")], CancellationToken.None);

        Assert.Equal("Amazon Linux", Assert.Single(uses).DefaultForPlatform);
        patches.Verify(p => p.ListPatchGroupBaselinesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("Amazon Linux", "2023", "AMAZON_LINUX_2023")]
    [InlineData("Amazon Linux", "2", "AMAZON_LINUX_2")]
    [InlineData("Ubuntu", "22.04", "UBUNTU")]
    [InlineData("Microsoft Windows Server 2022 Datacenter", "10.0.20348", "WINDOWS")]
    [InlineData("Red Hat Enterprise Linux", "9.3", "REDHAT_ENTERPRISE_LINUX")]
    [InlineData("Plan 9", "4", null)]
    public void OperatingSystemOf_MapsThePlatformSsmReportsToItsOperatingSystemValue(string platform, string version, string? expected) =>
        Assert.Equal(expected, PatchBaselines.OperatingSystemOf(new ManagedNode("i-1", "Online", platform, version, null)));

    [Fact]
    public void Settings_WhenNothingIsConfigured_UseTheDocumentedDefaults()
    {
        var settings = PatchSettings.From(SkillConfig.FromEnvironment(new Dictionary<string, string>()));

        Assert.Equal(("RebootIfNeeded", "25%", "1", 50), (settings.RebootOption, settings.MaxConcurrency, settings.MaxErrors, settings.MaxInstances));
    }

    [Fact]
    public void Settings_WhenValuesAreConfigured_UsesValidOnesAndIgnoresMalformedOnes()
    {
        var good = PatchSettings.From(SkillConfig.FromEnvironment(new Dictionary<string, string>
        {
            ["PATCH_REBOOT_OPTION"] = "noreboot", ["PATCH_MAX_CONCURRENCY"] = "5", ["PATCH_MAX_ERRORS"] = "10%", ["PATCH_CAP"] = "20",
        }));
        var bad = PatchSettings.From(SkillConfig.FromEnvironment(new Dictionary<string, string>
        {
            ["PATCH_REBOOT_OPTION"] = "sometimes", ["PATCH_MAX_CONCURRENCY"] = "0", ["PATCH_MAX_ERRORS"] = "150%", ["PATCH_CAP"] = "lots",
        }));

        Assert.Equal(("NoReboot", "5", "10%", 20), (good.RebootOption, good.MaxConcurrency, good.MaxErrors, good.MaxInstances));
        Assert.Equal(("RebootIfNeeded", "25%", "1", 50), (bad.RebootOption, bad.MaxConcurrency, bad.MaxErrors, bad.MaxInstances));
    }

    [Fact]
    public void Comment_RoundTripsTheReferenceAndIgnoresOtherComments()
    {
        var reference = PatchComment.ReferenceFor("amzn1.echo-api.request.1");

        Assert.Equal(8, reference.Length);
        Assert.Equal(reference, PatchComment.ReferenceOf(PatchComment.For(reference, 2, 3)));
        Assert.Equal(reference, PatchComment.ReferenceOf(PatchComment.For(reference, 1, 1)));
        Assert.Null(PatchComment.ReferenceOf("monthly patching"));
        Assert.Null(PatchComment.ReferenceOf(null));
    }
}
