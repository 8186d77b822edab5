using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// Issue 14: the function's role reaches the fleet in every region of its own account that Regions allows, and in no
/// other; what only the home account holds (table, queue, parameters, key, OpsCenter) stays in the function's region.
/// The templates are evaluated as CloudFormation would for given parameters, and each sample call is judged by its
/// action, its resource ARN and aws:RequestedRegion (the tag conditions are other tests' business).
/// </summary>
public sealed partial class RegionReachTemplateTests
{
    public static TheoryData<string> Templates => new() { "template.yaml", "template-aot.yaml" };

    private const string Account = "111122223333";
    private const string Home = "us-east-1";

    // A fleet write or read of every kind the skill makes, in a region.
    private static readonly (string Action, string Arn)[] FleetCalls =
    [
        ("ec2:ModifyNetworkInterfaceAttribute", "arn:aws:ec2:{r}:" + Account + ":network-interface/eni-1"),
        ("ec2:ModifyInstanceAttribute", "arn:aws:ec2:{r}:" + Account + ":instance/i-1"),
        ("ec2:CreateTags", "arn:aws:ec2:{r}:" + Account + ":instance/i-1"),
        ("ec2:CreateSecurityGroup", "arn:aws:ec2:{r}:" + Account + ":vpc/vpc-1"),
        ("ec2:AuthorizeSecurityGroupEgress", "arn:aws:ec2:{r}:" + Account + ":security-group/sg-1"),
        ("ec2:CreateSnapshots", "arn:aws:ec2:{r}::snapshot/*"),
        ("ec2:CreateNetworkAclEntry", "arn:aws:ec2:{r}:" + Account + ":network-acl/acl-1"),
        ("ssm:SendCommand", "arn:aws:ssm:{r}::document/AWS-RunPatchBaseline"),
        ("ssm:SendCommand", "arn:aws:ec2:{r}:" + Account + ":instance/i-1"),
        ("logs:StartQuery", "arn:aws:logs:{r}:" + Account + ":log-group:/vpc/flow-logs/prod"),
        ("autoscaling:EnterStandby", "arn:aws:autoscaling:{r}:" + Account + ":autoScalingGroup:1a2b:autoScalingGroupName/web"),
        ("elasticloadbalancing:DeregisterTargets", "arn:aws:elasticloadbalancing:{r}:" + Account + ":targetgroup/web/0123"),
        ("ec2:DescribeInstances", "*"),
        ("inspector2:ListFindings", "*"),
        ("guardduty:ListDetectors", "*"),
    ];

    // What only the home account holds, in its own region.
    private static readonly (string Action, string Arn)[] HomeCalls =
    [
        ("ssm:GetParameter", "arn:aws:ssm:{r}:" + Account + ":parameter/securityalexa/code"),
        ("kms:Decrypt", "arn:aws:kms:{r}:" + Account + ":key/1234"),
        ("ssm:CreateOpsItem", "arn:aws:ssm:{r}:" + Account + ":opsitem/oi-1"),
    ];

    private static string In(string arn, string region) => arn.Replace("{r}", region, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Templates))]
    public void FleetCalls_WithRegionsSet_AreAllowedInTheFunctionsRegionAndEveryListedOne_AndNowhereElse(string file)
    {
        var policy = Policy.Of(file, regions: "eu-west-1,ap-northeast-1");

        var problems = new List<string>();
        foreach (var (action, arn) in FleetCalls)
        {
            foreach (var region in new[] { Home, "eu-west-1", "ap-northeast-1" })
                if (!policy.Allows(action, In(arn, region), region))
                    problems.Add($"{action} denied in {region}");
            if (policy.Allows(action, In(arn, "eu-central-1"), "eu-central-1"))
                problems.Add($"{action} allowed in eu-central-1, which Regions does not list");
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void FleetCalls_WithoutRegions_AreAllowedInTheFunctionsRegionOnly(string file)
    {
        var policy = Policy.Of(file, regions: "");

        Assert.All(FleetCalls, c => Assert.True(policy.Allows(c.Action, In(c.Arn, Home), Home), c.Action));
        Assert.All(FleetCalls, c => Assert.False(policy.Allows(c.Action, In(c.Arn, "eu-west-1"), "eu-west-1"),
            c.Action));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void HomeOnlyResources_StayInTheFunctionsRegion_WhateverRegionsSays(string file)
    {
        var policy = Policy.Of(file, regions: "eu-west-1");

        Assert.All(HomeCalls, c => Assert.True(policy.Allows(c.Action, In(c.Arn, Home), Home), c.Action));
        Assert.All(HomeCalls, c => Assert.False(policy.Allows(c.Action, In(c.Arn, "eu-west-1"), "eu-west-1"),
            c.Action));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void EveryStatementForTheFleetOutsideIam_NamesItsRegionsByCondition_SoANewOneCannotReachEveryRegion(string file)
    {
        var fleet = AwsOperations.MemberAccount.Where(a => !a.StartsWith("iam:", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var statements = Policy.Of(file, regions: "eu-west-1").Statements
            .Where(s => (string?)s["Effect"] == "Allow" && Policy.List(s["Action"]).Any(fleet.Contains)).ToList();

        Assert.NotEmpty(statements);
        Assert.All(statements,
            s => Assert.Equal([Home, "eu-west-1"], Policy.List(s["Condition"]?["StringEquals"]?["aws:RequestedRegion"])));
    }

    /// <summary>The function's inline policy as CloudFormation would make it for the given parameters.</summary>
    private sealed partial class Policy
    {
        public required IReadOnlyList<JsonObject> Statements { get; init; }

        public static Policy Of(string file, string regions)
        {
            var template = CfnYaml.Load(file);
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS::Region"] = Home, ["AWS::AccountId"] = Account, ["AWS::Partition"] = "aws", ["AWS::StackName"] = "SecurityAlexa",
                ["Regions"] = regions,
            };
            foreach (var (name, definition) in template["Parameters"]!.AsObject())
                parameters.TryAdd(name, definition?["Default"] is JsonValue v ? v.ToString() : "");
            parameters["RevokeInstanceRoleSessions"] = "true";
            parameters["ChatWebhookParameterName"] = "/securityalexa/webhook";
            var conditions = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var (name, condition) in template["Conditions"]!.AsObject())
                conditions[name] = Truth(Eval(condition, parameters, conditions));
            var policies = (JsonArray)Eval(TemplateInspector.Function(template)["Properties"]!["Policies"], parameters, conditions)!;
            var statements = policies.SelectMany(p => p!["Statement"]!.AsArray()).OfType<JsonObject>().ToList();
            return new Policy { Statements = statements };
        }

        /// <summary>True when an Allow statement grants the call and no Deny names it (by action, resource and region).</summary>
        public bool Allows(string action, string arn, string region)
        {
            bool Matches(JsonObject s) => List(s["Action"]).Contains(action) && List(s["Resource"]).Any(r => Glob(r).IsMatch(arn))
                && (s["Condition"]?["StringEquals"]?["aws:RequestedRegion"] is not { } regions || List(regions).Contains(region));
            return Statements.Any(s => (string?)s["Effect"] == "Allow" && Matches(s))
                && !Statements.Any(s => (string?)s["Effect"] == "Deny" && s["Condition"] is null && Matches(s));
        }

        public static List<string> List(JsonNode? node) => node switch
        {
            null => [],
            JsonArray array => array.Select(n => n!.ToString()).ToList(),
            _ => [node.ToString()],
        };

        private static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$");

        private static bool Truth(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

        // The intrinsic functions the templates use in policies and conditions.
        private static JsonNode? Eval(JsonNode? node, Dictionary<string, string> parameters, Dictionary<string, bool> conditions)
        {
            switch (node)
            {
                case JsonArray array:
                    return new JsonArray(array.Select(n => Eval(n, parameters, conditions)).Where(n => !ReferenceEquals(n, NoValue))
                        .ToArray());
                case JsonObject { Count: 1 } o when o["Ref"] is JsonValue r:
                    return (string)r! == "AWS::NoValue" ? NoValue : JsonValue.Create(parameters[(string)r!]);
                case JsonObject { Count: 1 } o when o["Condition"] is JsonValue c:
                    return JsonValue.Create(conditions[(string)c!]);
                case JsonObject { Count: 1 } o when o["Fn::Sub"] is JsonValue sub:
                    return JsonValue.Create(SubPattern().Replace((string)sub!, m => parameters[m.Groups[1].Value]));
                case JsonObject { Count: 1 } o when o["Fn::GetAtt"] is JsonArray at:
                    return JsonValue.Create($"arn:aws:{at[0]}:{Home}:{Account}:{at[0]}");
                case JsonObject { Count: 1 } o when o["Fn::If"] is JsonArray choice:
                    return Eval(conditions[(string)choice[0]!] ? choice[1] : choice[2], parameters, conditions);
                case JsonObject { Count: 1 } o when o["Fn::Split"] is JsonArray split:
                    return new JsonArray(Eval(split[1], parameters, conditions)!.ToString().Split((string)split[0]!)
                        .Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
                case JsonObject { Count: 1 } o when o["Fn::Join"] is JsonArray join:
                    return JsonValue.Create(Eval(join[1], parameters, conditions) is JsonArray parts
                        ? string.Join((string)join[0]!, parts.Select(p => p!.ToString()))
                        : Eval(join[1], parameters, conditions)!.ToString());
                case JsonObject { Count: 1 } o when o["Fn::Equals"] is JsonArray eq:
                    return JsonValue.Create(
                        Eval(eq[0], parameters, conditions)!.ToString() == Eval(eq[1], parameters, conditions)!.ToString());
                case JsonObject { Count: 1 } o when o["Fn::Not"] is JsonArray not:
                    return JsonValue.Create(!Truth(Eval(not[0], parameters, conditions)));
                case JsonObject { Count: 1 } o when o["Fn::And"] is JsonArray and:
                    return JsonValue.Create(and.All(a => Truth(Eval(a, parameters, conditions))));
                case JsonObject o:
                    var result = new JsonObject();
                    foreach (var (key, value) in o)
                        if (Eval(value, parameters, conditions) is var v && !ReferenceEquals(v, NoValue)) result[key] = v;
                    return result;
                default:
                    return node?.DeepClone();
            }
        }

        // AWS::NoValue: dropped from the list or object that holds it.
        private static readonly JsonObject NoValue = [];

        [GeneratedRegex(@"\$\{([^}]+)\}")]
        private static partial Regex SubPattern();
    }
}
