using System.Text.Json.Nodes;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// member-role.yaml: the role the function assumes in a member account grants exactly what the code calls there,
/// trusts only the function's role with the external id, and the account's isolate-tag events reach the function.
/// </summary>
public sealed class MemberRoleTemplateTests
{
    private const string File = "member-role.yaml";

    private static JsonObject MemberRoleOnly()
    {
        var template = CfnYaml.Load(File);
        var resources = (JsonObject)template["Resources"]!;
        foreach (var id in resources.Where(r => r.Key != "MemberRole").Select(r => r.Key).ToList()) resources.Remove(id);
        return template;
    }

    [Fact]
    public void MemberRole_IamActions_AreExactlyTheOperationsTheCodeCallsInAMemberAccount()
    {
        var template = MemberRoleOnly();
        var (_, problems) = TemplateInspector.Statements(template);

        var diff = TemplateTests.ActionDifferences(TemplateInspector.Actions(template), AwsOperations.MemberAccount, new HashSet<string>());

        Assert.Empty(problems);
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }

    [Fact]
    public void MemberAccountOperations_AreAllOperationsButTheHomeAccountsOwn()
    {
        Assert.Contains(AwsOperations.Ec2ModifyNetworkInterfaceAttribute, AwsOperations.MemberAccount);
        Assert.Contains(AwsOperations.SsmSendCommand, AwsOperations.MemberAccount);
        Assert.Contains(AwsOperations.InspectorListFindings, AwsOperations.MemberAccount);
        Assert.Contains(AwsOperations.LogsStartQuery, AwsOperations.MemberAccount);
        Assert.DoesNotContain(AwsOperations.DynamoPutItem, AwsOperations.MemberAccount);
        Assert.DoesNotContain(AwsOperations.SsmGetParameter, AwsOperations.MemberAccount);
        Assert.DoesNotContain(AwsOperations.StsAssumeRole, AwsOperations.MemberAccount);
        Assert.Equal(AwsOperations.All.Count, AwsOperations.MemberAccount.Count + AwsOperations.HomeOnly.Count);
    }

    [Fact]
    public void MemberRole_TrustsOnlyTheFunctionsRole_WithTheExternalId_AndMaySetTheSourceIdentity()
    {
        var role = CfnYaml.Load(File)["Resources"]!["MemberRole"]!["Properties"]!;
        var statement = role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Single()!;

        Assert.Equal("MemberRoleName", (string?)role["RoleName"]!["Ref"]);
        Assert.Equal("Allow", (string?)statement["Effect"]);
        Assert.Equal("FunctionRoleArn", (string?)statement["Principal"]!["AWS"]!["Ref"]);
        Assert.Equal(["sts:AssumeRole", "sts:SetSourceIdentity"], statement["Action"]!.AsArray().Select(a => (string?)a).Order(StringComparer.Ordinal));
        Assert.Equal("ExternalId", (string?)statement["Condition"]!["StringEquals"]!["sts:ExternalId"]!["Ref"]);
    }

    [Fact]
    public void MemberAccount_ForwardsTheSameIsolateTagEventsToTheFunctionAccountsBus_WithARoleThatCanDoNothingElse()
    {
        var member = CfnYaml.Load(File);
        var rule = member["Resources"]!["ForwardIsolateTagEvents"]!["Properties"]!;
        var home = TemplateInspector.ResourcesOfType(CfnYaml.Load("template.yaml"), "AWS::Events::Rule")
            .Single(r => r.Resource["Properties"]?["EventPattern"] is not null).Resource["Properties"]!;
        var target = rule["Targets"]!.AsArray().Single()!;
        var forwarder = member["Resources"]!["ForwardEventsRole"]!["Properties"]!;
        var put = forwarder["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single()!;

        Assert.True(JsonNode.DeepEquals(home["EventPattern"], rule["EventPattern"]), "the forwarding rule must match what the function's rule matches");
        Assert.Null(home["EventPattern"]!["account"]);
        Assert.Equal("arn:${AWS::Partition}:events:${FunctionRegion}:${FunctionAccountId}:event-bus/default", (string?)target["Arn"]!["Fn::Sub"]);
        Assert.Equal("ForwardEventsRole", (string?)target["RoleArn"]!["Fn::GetAtt"]![0]);
        Assert.Equal("events:PutEvents", (string?)put["Action"]);
        Assert.Equal((string?)target["Arn"]!["Fn::Sub"], (string?)put["Resource"]!["Fn::Sub"]);
    }

    [Fact]
    public void MemberRole_ForwardOnly_CreatesOnlyTheForwardingRule_AndOtherwiseRequiresTheFunctionAndTheExternalId()
    {
        // The home account's other regions (Regions) deploy this stack with ForwardOnly=true: their isolate-tag events reach the
        // function's region, and no member role is created in the function's own account.
        var member = CfnYaml.Load(File);
        var createRole = member["Conditions"]!["CreateRole"]!["Fn::And"]!.AsArray();
        var rule = member["Rules"]!["MemberRoleNeedsTheFunctionAndTheExternalId"]!;

        Assert.Equal("false", (string?)member["Parameters"]!["ForwardOnly"]!["Default"]);
        Assert.Contains(createRole,
            c => c!["Fn::Equals"]![0]!["Ref"]?.ToString() == "ForwardOnly" && (string?)c["Fn::Equals"]![1] == "false");
        Assert.Equal("CreateRole", (string?)member["Resources"]!["MemberRole"]!["Condition"]);
        // The forwarding rule and its role exist in every stack, forwarding-only included.
        Assert.Null(member["Resources"]!["ForwardIsolateTagEvents"]!["Condition"]);
        Assert.Null(member["Resources"]!["ForwardEventsRole"]!["Condition"]);
        Assert.Equal("ForwardOnly", (string?)rule["RuleCondition"]!["Fn::Equals"]![0]!["Ref"]);
        var asserted = rule["Assertions"]!.AsArray().Select(a => (string?)a!["Assert"]!["Fn::Not"]![0]!["Fn::Equals"]![0]!["Ref"]).ToList();
        Assert.Equal(["ExternalId", "FunctionRoleArn"], asserted.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("template.yaml")]
    [InlineData("template-aot.yaml")]
    public void Template_AssumesMemberRolesOnlyWhenConfigured_AndLetsMembersForwardEvents(string file)
    {
        var template = CfnYaml.Load(file);
        var variables = TemplateInspector.Function(template)["Properties"]!["Environment"]!["Variables"]!;
        var sts = TemplateInspector.Statements(template).Statements.Single(s => s.Actions.Contains("sts:AssumeRole"));
        var buses = TemplateInspector.ResourcesOfType(template, "AWS::Events::EventBusPolicy").ToList();

        foreach (var (variable, parameter) in new[] { ("MEMBER_ACCOUNTS", "MemberAccounts"), ("MEMBER_ROLE_NAME", "MemberRoleName"),
                     ("MEMBER_EXTERNAL_ID", "MemberExternalId"), ("REGIONS", "Regions") })
            Assert.Equal(parameter, (string?)variables[variable]!["Ref"]);
        Assert.Equal("SecurityAlexaMember", (string?)template["Parameters"]!["MemberRoleName"]!["Default"]);
        Assert.Equal(["sts:AssumeRole", "sts:SetSourceIdentity"], sts.Actions.Order(StringComparer.Ordinal));
        Assert.Equal("arn:${AWS::Partition}:iam::*:role/${MemberRoleName}", (string?)Assert.Single(sts.Resources)!["Fn::Sub"]);
        Assert.Contains("HasMemberAccounts", RepoFiles.Read(file), StringComparison.Ordinal);
        Assert.Equal(2, buses.Count);
        Assert.All(buses, b => Assert.Equal("events:PutEvents", (string?)b.Resource["Properties"]!["Statement"]!["Action"]));
        Assert.All(buses, b => Assert.NotNull(b.Resource["Condition"]));
    }

    [Fact]
    public void MemberRole_EveryStatementHasACommentSayingWhy()
    {
        var missing = IamConditionTests.SidsWithoutComment(RepoFiles.Read(File).Split('\n'));

        Assert.True(missing.Count == 0, "statements without a comment saying why: " + string.Join(", ", missing));
    }
}
