using System.Text.Json.Nodes;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>Reads what a SAM template grants and configures: IAM statements, the function, its environment.</summary>
public static class TemplateInspector
{
    /// <summary>An Allow statement, with its actions and resources as written.</summary>
    public sealed record Statement(string? Sid, IReadOnlyList<string> Actions, IReadOnlyList<JsonNode?> Resources, JsonObject? Condition);

    /// <summary>Resources of a given type, by logical id.</summary>
    public static IEnumerable<(string Id, JsonObject Resource)> ResourcesOfType(JsonObject template, string type) =>
        (template["Resources"] as JsonObject ?? [])
            .Where(r => (string?)r.Value?["Type"] == type)
            .Select(r => (r.Key, (JsonObject)r.Value!));

    /// <summary>
    /// Every Allow statement the template gives any function or role, taking both branches of Fn::If.
    /// Anything whose actions cannot be read (managed policies, SAM policy templates, NotAction) is reported as a problem.
    /// </summary>
    public static (List<Statement> Statements, List<string> Problems) Statements(JsonObject template)
    {
        var statements = new List<Statement>();
        var problems = new List<string>();

        foreach (var (id, function) in ResourcesOfType(template, "AWS::Serverless::Function"))
        {
            var properties = function["Properties"] as JsonObject ?? [];
            if (properties["Role"] is not null) problems.Add($"{id} uses an outside Role, whose permissions this check cannot see");
            foreach (var policy in Branches(properties["Policies"]))
            {
                if (policy is JsonObject doc && doc["Statement"] is { } statement) Collect(id, statement, statements, problems);
                else problems.Add($"{id} has a policy that is not an inline document ({policy?.ToJsonString()}); its actions cannot be checked");
            }
        }
        foreach (var type in new[] { "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" })
        {
            foreach (var (id, resource) in ResourcesOfType(template, type))
            {
                var properties = resource["Properties"] as JsonObject ?? [];
                if (properties["PolicyDocument"]?["Statement"] is { } direct) Collect(id, direct, statements, problems);
                foreach (var policy in Branches(properties["Policies"]))
                    if (policy?["PolicyDocument"]?["Statement"] is { } statement) Collect(id, statement, statements, problems);
                if (properties["ManagedPolicyArns"] is JsonArray { Count: > 0 }) problems.Add($"{id} attaches managed policies");
            }
        }
        return (statements, problems);
    }

    /// <summary>The set of actions all Allow statements grant.</summary>
    public static SortedSet<string> Actions(JsonObject template) =>
        new(Statements(template).Statements.SelectMany(s => s.Actions), StringComparer.Ordinal);

    /// <summary>The one skill function.</summary>
    public static JsonObject Function(JsonObject template) =>
        ResourcesOfType(template, "AWS::Serverless::Function").Single().Resource;

    /// <summary>A function property, falling back to Globals.Function.</summary>
    public static JsonNode? FunctionProperty(JsonObject template, string name) =>
        Function(template)["Properties"]?[name] ?? template["Globals"]?["Function"]?[name];

    private static void Collect(string owner, JsonNode statementNode, List<Statement> statements, List<string> problems)
    {
        foreach (var node in Branches(statementNode))
        {
            if (node is not JsonObject statement) continue;
            if ((string?)statement["Effect"] != "Allow") continue;
            if (statement["NotAction"] is not null || statement["NotResource"] is not null)
            {
                problems.Add($"{owner} has a NotAction/NotResource statement, which grants more than it names");
                continue;
            }
            var actions = Branches(statement["Action"]).Select(a => a is JsonValue v ? v.GetValue<string>() : a?.ToJsonString() ?? "").ToList();
            problems.AddRange(actions.Where(a => a.Contains('*', StringComparison.Ordinal)).Select(a => $"{owner} grants a wildcard action {a}"));
            statements.Add(new Statement((string?)statement["Sid"], actions, Branches(statement["Resource"]).ToList(), statement["Condition"] as JsonObject));
        }
    }

    // A list, a single item, or Fn::If choosing between them; AWS::NoValue drops out.
    private static IEnumerable<JsonNode?> Branches(JsonNode? node)
    {
        switch (node)
        {
            case null:
                yield break;
            case JsonArray array:
                foreach (var item in array) foreach (var inner in Branches(item)) yield return inner;
                yield break;
            case JsonObject { Count: 1 } only when only["Fn::If"] is JsonArray { Count: 3 } choice:
                foreach (var inner in Branches(choice[1])) yield return inner;
                foreach (var inner in Branches(choice[2])) yield return inner;
                yield break;
            case JsonObject { Count: 1 } only when (string?)only["Ref"] == "AWS::NoValue":
                yield break;
            default:
                yield return node;
                yield break;
        }
    }
}
