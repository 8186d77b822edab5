using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// Reads a CloudFormation/SAM YAML template into JSON nodes, turning the short forms of intrinsic functions
/// (!Ref, !Sub, !GetAtt, !If, ...) into their long JSON forms ({"Ref": ...}, {"Fn::Sub": ...}), so that checks
/// see what CloudFormation sees.
/// </summary>
public static class CfnYaml
{
    /// <summary>Parses a template's text.</summary>
    public static JsonObject Parse(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return Convert(stream.Documents[0].RootNode) as JsonObject ?? throw new FormatException("The template is not a mapping.");
    }

    /// <summary>Loads a template file from the repository.</summary>
    public static JsonObject Load(string fileName) => Parse(RepoFiles.Read(fileName));

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode map => Mapping(map),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
            YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
            _ => throw new FormatException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
        };
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is null || !tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal) || tag.StartsWith("tag:", StringComparison.Ordinal)) return value;

        var function = tag[1..];
        var key = function is "Ref" or "Condition" ? function : "Fn::" + function;
        // !GetAtt Resource.Attribute is the short form of ["Resource", "Attribute"].
        if (function == "GetAtt" && value is JsonValue dotted && dotted.GetValue<string>() is var s && s.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
            value = new JsonArray(s[..dot], s[(dot + 1)..]);
        return new JsonObject { [key] = value };
    }

    private static JsonObject Mapping(YamlMappingNode map)
    {
        var result = new JsonObject();
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? throw new FormatException($"Non-scalar key at {k.Start}.");
            if (result.ContainsKey(key)) throw new FormatException($"Duplicate key {key} at {k.Start}.");
            result[key] = Convert(v);
        }
        return result;
    }
}
