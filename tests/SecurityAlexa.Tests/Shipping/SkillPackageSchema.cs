using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// Amazon's published skill-package schema (the Swagger 2.0 definitions in ask-smapi-model's spec.json) as
/// JSON Schema. Swagger 2.0 schema objects are a subset of JSON Schema draft 4; the subset the skill-package
/// definitions use has the same meaning in draft 7, so the keywords are copied and Swagger's own (x-*,
/// discriminator, example) dropped. Strict mode also rejects properties the spec does not define, which
/// catches misspelt field names that Swagger's open objects would let through.
/// </summary>
public sealed class SkillPackageSchema
{
    /// <summary>The manifest file (skill.json).</summary>
    public const string Manifest = "v1.skill.Manifest.SkillManifestEnvelope";

    /// <summary>An interaction model file (interactionModels/custom/LOCALE.json).</summary>
    public const string InteractionModel = "v1.skill.interactionModel.InteractionModelData";

    private static readonly HashSet<string> SchemaKeywords = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "items", "enum", "$ref", "allOf", "additionalProperties", "minLength", "maxLength",
        "minItems", "maxItems", "uniqueItems", "minimum", "maximum", "pattern", "minProperties", "maxProperties", "format", "default",
    };

    private readonly JsonObject _definitions;

    private SkillPackageSchema(JsonObject definitions) => _definitions = definitions;

    /// <summary>Reads the definitions from a Swagger spec file.</summary>
    public static SkillPackageSchema Load(string specPath)
    {
        var spec = JsonNode.Parse(File.ReadAllText(specPath))!.AsObject();
        if ((string?)spec["swagger"] != "2.0") throw new FormatException($"{specPath} is not a Swagger 2.0 spec.");
        var definitions = new JsonObject();
        foreach (var (name, schema) in spec["definitions"]!.AsObject()) definitions[name] = Translate(schema);
        return new SkillPackageSchema(definitions);
    }

    /// <summary>The definition names the spec holds.</summary>
    public IEnumerable<string> DefinitionNames => _definitions.Select(d => d.Key);

    /// <summary>Validates a document against one definition; returns the errors, or none.</summary>
    public IReadOnlyList<string> Validate(JsonNode document, string definition, bool strict)
    {
        if (!_definitions.ContainsKey(definition)) throw new ArgumentException($"The spec has no definition {definition}.", nameof(definition));
        var definitions = (JsonObject)_definitions.DeepClone();
        if (strict) CloseObjects(definitions);
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["definitions"] = definitions,
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/definitions/" + definition }),
        };
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var schema = JsonSchema.Build(JsonSerializer.SerializeToElement(root), options, new Uri("https://security-alexa.test/skill-package/" + Guid.NewGuid().ToString("N")));
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return [];
        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.SchemaLocation})"))
            .Distinct()
            .ToList();
    }

    private static JsonNode? Translate(JsonNode? node)
    {
        if (node is not JsonObject obj) return node?.DeepClone();
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (!SchemaKeywords.Contains(key)) continue;
            result[key] = key switch
            {
                "properties" => new JsonObject(value!.AsObject().Select(p => KeyValuePair.Create(p.Key, Translate(p.Value)))),
                "items" or "additionalProperties" => Translate(value),
                "allOf" => new JsonArray(value!.AsArray().Select(Translate).ToArray()),
                _ => value?.DeepClone(),
            };
        }
        return result;
    }

    // Objects with named properties and no other schema for extra ones are closed, except where inheritance (allOf) is involved.
    private static void CloseObjects(JsonObject definitions)
    {
        var inherited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, schema) in definitions)
            foreach (var part in schema?["allOf"] as JsonArray ?? [])
                if ((string?)part?["$ref"] is { } r) inherited.Add(r["#/definitions/".Length..]);
        foreach (var (name, schema) in definitions)
        {
            if (schema is JsonObject s && s["properties"] is not null && s["additionalProperties"] is null && s["allOf"] is null && !inherited.Contains(name))
                s["additionalProperties"] = false;
        }
    }
}
