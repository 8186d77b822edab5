using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// Issue 13 §2, §8 and §9: the IAM conditions that keep the function's role from being a way to change the fleet,
/// kept in both templates, each statement with a comment saying why it is shaped so; and reserved concurrency.
/// </summary>
public sealed partial class IamConditionTests
{
    public static TheoryData<string> Templates => new() { "template.yaml", "template-aot.yaml" };

    private static readonly string[] GroupRuleActions =
        ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress"];

    /// <summary>Every statement of the function's inline policy, Allow and Deny, both branches of a Fn::If.</summary>
    private static List<JsonObject> Statements(string file)
    {
        var policies = TemplateInspector.Function(CfnYaml.Load(file))["Properties"]!["Policies"]!.AsArray();
        var result = new List<JsonObject>();
        foreach (var node in policies.SelectMany(p => p!["Statement"]!.AsArray()))
        {
            if (node is JsonObject { Count: 1 } choice && choice["Fn::If"] is JsonArray branches)
                result.AddRange(branches.Skip(1).OfType<JsonObject>().Where(b => b["Effect"] is not null));
            else if (node is JsonObject statement) result.Add(statement);
        }
        return result;
    }

    private static List<string> List(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(Text).ToList(),
        _ => [Text(node)],
    };

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue v => v.ToString(),
        JsonObject o when o["Fn::Sub"] is JsonValue sub => sub.ToString(),
        JsonObject o when o["Ref"] is JsonValue r => "!Ref " + r,
        _ => node?.ToJsonString() ?? "",
    };

    private static IEnumerable<JsonObject> Granting(string file, params string[] actions) =>
        Statements(file).Where(s => (string?)s["Effect"] == "Allow" && List(s["Action"]).Any(actions.Contains));

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_EveryPolicyStatement_HasACommentAboveItSayingWhy(string file)
    {
        var lines = RepoFiles.Read(file).Split('\n');
        var missing = SidsWithoutComment(lines);

        Assert.True(Statements(file).Count > 0 && missing.Count == 0, $"{file}: statements without a comment saying why: {string.Join(", ", missing)}");
        // Every statement of the function's role has a Sid, so none escapes the scan above (which also covers the key
        // and queue policies).
        var sids = lines.Select(l => SidLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.All(Statements(file), s => Assert.Contains((string?)s["Sid"] ?? "(no Sid)", sids));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_SecurityGroupRuleChanges_AreOnlyOnGroupsTaggedGroupRole(string file)
    {
        var statements = Granting(file, GroupRuleActions).ToList();

        Assert.NotEmpty(statements);
        foreach (var s in statements)
        {
            var resources = List(s["Resource"]);
            Assert.DoesNotContain("*", resources);
            // Only groups and their rule items; a rule change always needs the group too.
            Assert.All(resources, r => Assert.Matches(":security-group(-rule)?/\\*$", r));
            if (resources.Any(r => r.EndsWith(":security-group/*", StringComparison.Ordinal)))
                Assert.Equal("false", (string?)s["Condition"]?["Null"]?["ec2:ResourceTag/SecurityAlexa:GroupRole"]);
        }
        Assert.Contains(statements, s => List(s["Resource"]).Any(r => r.EndsWith(":security-group/*", StringComparison.Ordinal)));
        // New groups, likewise, only with the tag in the creating call.
        var create = Granting(file, "ec2:CreateSecurityGroup").Where(s => List(s["Resource"]).Any(r => r.EndsWith(":security-group/*", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(create);
        Assert.All(create, s => Assert.Equal("false", (string?)s["Condition"]?["Null"]?["aws:RequestTag/SecurityAlexa:GroupRole"]));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_TagWrites_AreOnlyForTagKeysUnderSecurityAlexa(string file)
    {
        var statements = Granting(file, "ec2:CreateTags", "ec2:DeleteTags").ToList();

        Assert.NotEmpty(statements);
        foreach (var s in statements)
        {
            var condition = s["Condition"]?.AsObject();
            Assert.NotNull(condition);
            // A DeleteTags naming no keys removes every tag; with no keys in the request, ForAllValues would pass.
            Assert.Equal("false", (string?)condition["Null"]?["aws:TagKeys"]);
            var keys = List(condition["ForAllValues:StringLike"]?["aws:TagKeys"]);
            Assert.Contains("SecurityAlexa:*", keys);
            var onCreateOnly = condition["StringEquals"]?["ec2:CreateAction"] is not null;
            foreach (var key in keys)
            {
                // The isolate trigger tag (release removes it), and Name only on the groups the skill creates.
                var allowed = key == "SecurityAlexa:*" || key == "!Ref IsolateTagKey" || (key == "Name" && onCreateOnly);
                Assert.True(allowed, $"{file}: {s["Sid"]} lets the role write the tag key {key}");
            }
            if (onCreateOnly)
                Assert.Equal(["CreateSecurityGroup", "CreateSnapshots"], List(condition["StringEquals"]!["ec2:CreateAction"]).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_ModifyInstanceAttribute_IsOnlyForTerminationProtectionAndVolumesOnUnprotectedInstances(string file)
    {
        var statements = Granting(file, "ec2:ModifyInstanceAttribute").ToList();

        // One statement per attribute the skill sets (termination protection; containment's DeleteOnTermination), nothing else.
        Assert.Equal(2, statements.Count);
        var attributes = new List<string>();
        foreach (var statement in statements)
        {
            Assert.Equal(["ec2:ModifyInstanceAttribute"], List(statement["Action"]));
            var nulls = statement["Condition"]?["Null"]?.AsObject();
            Assert.NotNull(nulls);
            Assert.Equal("true", (string?)nulls!["ec2:ResourceTag/SecurityAlexa:Protected"]);
            var attribute = Assert.Single(nulls, kv => kv.Key.StartsWith("ec2:Attribute/", StringComparison.Ordinal));
            Assert.Equal("false", (string?)attribute.Value);
            attributes.Add(attribute.Key);
        }
        Assert.Equal(["ec2:Attribute/BlockDeviceMapping", "ec2:Attribute/DisableApiTermination"], attributes.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_StartQuery_IsOnlyOnTheFlowLogGroupsParameter(string file)
    {
        var template = CfnYaml.Load(file);
        var resources = Granting(file, "logs:StartQuery").SelectMany(s => List(s["Resource"])).ToList();

        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.EndsWith(":log-group:${FlowLogGroupPattern}", r));
        Assert.NotNull(template["Parameters"]?["FlowLogGroupPattern"]);
        Assert.DoesNotContain(":log-group:*", (string?)template["Parameters"]!["FlowLogGroupPattern"]!["Default"] ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_SendCommand_IsDeniedOnInstancesTaggedProtected(string file)
    {
        var deny = Statements(file).Where(s => (string?)s["Effect"] == "Deny" && List(s["Action"]).Contains("ssm:SendCommand")).ToList();

        var statement = Assert.Single(deny);
        Assert.All(List(statement["Resource"]), r => Assert.EndsWith(":instance/*", r));
        Assert.Equal("false", (string?)statement["Condition"]?["Null"]?["ssm:resourceTag/SecurityAlexa:Protected"]);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_Function_HasReservedConcurrencyFromAParameter(string file)
    {
        var template = CfnYaml.Load(file);
        var reserved = TemplateInspector.FunctionProperty(template, "ReservedConcurrentExecutions");

        var parameter = (string?)reserved?["Ref"];
        Assert.NotNull(parameter);
        var definition = template["Parameters"]?[parameter];
        Assert.NotNull(definition);
        Assert.InRange(int.Parse(definition["Default"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 50);
        Assert.Equal("1", definition["MinValue"]?.ToString());
    }

    /// <summary>The Sids of a template's statements with no <c>#</c> comment line above them (member-role.yaml too).</summary>
    internal static List<string> SidsWithoutComment(string[] lines)
    {
        var missing = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var sid = SidLine().Match(lines[i]);
            if (!sid.Success) continue;
            // Step over the Fn::If that wraps a conditional statement: "- !If" and "- ConditionName".
            var j = i - 1;
            while (j >= 0 && IfLine().IsMatch(lines[j])) j--;
            if (j < 0 || !lines[j].TrimStart().StartsWith('#')) missing.Add(sid.Groups[1].Value);
        }
        return missing;
    }

    [GeneratedRegex(@"^\s+- Sid: (\w+)\s*$")]
    private static partial Regex SidLine();

    [GeneratedRegex(@"^\s+- (!If|\w+)\s*$")]
    private static partial Regex IfLine();
}
