using System.Text.Json.Nodes;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>skill.json and the interaction model validate against Amazon's published skill-package schema (ask-smapi-model).</summary>
[Trait("Category", "CiTools")]
public sealed class SkillPackageSchemaTests
{
    private static readonly Lazy<SkillPackageSchema> Schema = new(() => SkillPackageSchema.Load(CiTools.SmapiSpecPath));

    [CiToolFact]
    public void Manifest_AgainstThePublishedSchema_IsValidEvenWithClosedObjects()
    {
        var errors = Schema.Value.Validate(JsonNode.Parse(File.ReadAllText(RepoFiles.ManifestPath))!, SkillPackageSchema.Manifest, strict: true);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [CiToolFact]
    public void InteractionModel_AgainstThePublishedSchema_IsValidEvenWithClosedObjects()
    {
        var errors = Schema.Value.Validate(JsonNode.Parse(File.ReadAllText(RepoFiles.ModelPath))!, SkillPackageSchema.InteractionModel, strict: true);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [CiToolFact]
    public void JapaneseInteractionModel_AgainstThePublishedSchema_IsValidEvenWithClosedObjects()
    {
        var errors = Schema.Value.Validate(JsonNode.Parse(File.ReadAllText(RepoFiles.JapaneseModelPath))!, SkillPackageSchema.InteractionModel, strict: true);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [CiToolFact]
    public void Validate_WhenTheModelBreaksTheSchema_ReportsEachBreak()
    {
        var model = JsonNode.Parse(File.ReadAllText(RepoFiles.ModelPath))!;
        var language = model["interactionModel"]!["languageModel"]!;
        language["invocationName"] = "";                                           // minLength 1
        language["types"]![0]!["values"]![0]!["name"]!["synonyms"] = new JsonArray(); // minItems 1
        model["interactionModel"]!["dialog"]!["delegationStrategy"] = "SOMETIMES";   // not in the enum

        var errors = Schema.Value.Validate(model, SkillPackageSchema.InteractionModel, strict: false);

        Assert.Contains(errors, e => e.Contains("/interactionModel/languageModel/invocationName", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/synonyms", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/delegationStrategy", StringComparison.Ordinal));
    }

    [CiToolFact]
    public void Validate_WhenStrictAndAFieldIsMisspelt_ReportsIt()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(RepoFiles.ManifestPath))!;
        manifest["manifest"]!["apis"]!["custom"]!["endpoint"]!["url"] = "arn:aws:lambda:us-east-1:123456789012:function:x";

        Assert.Empty(Schema.Value.Validate(manifest, SkillPackageSchema.Manifest, strict: false));
        Assert.Contains(Schema.Value.Validate(manifest, SkillPackageSchema.Manifest, strict: true), e => e.Contains("/endpoint", StringComparison.Ordinal));
    }

    [CiToolFact]
    public void Validate_WhenTheEndpointIsNotAnArnOrHttps_ReportsIt()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(RepoFiles.ManifestPath))!;
        manifest["manifest"]!["apis"]!["custom"]!["endpoint"]!["uri"] = "lambda:my-function";

        var errors = Schema.Value.Validate(manifest, SkillPackageSchema.Manifest, strict: false);

        Assert.Contains(errors, e => e.Contains("/endpoint/uri", StringComparison.Ordinal));
    }
}
