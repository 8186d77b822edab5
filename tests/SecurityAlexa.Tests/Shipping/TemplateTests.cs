using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>template.yaml and template-aot.yaml agree with the code: handler, permissions, configuration, wiring.</summary>
public sealed partial class TemplateTests
{
    public static TheoryData<string> Templates => new() { "template.yaml", "template-aot.yaml" };

    [Fact]
    public void ManagedTemplate_HandlerString_NamesAPublicStreamToTaskOfStreamMethodTheRuntimeCanCall()
    {
        var handler = (string?)TemplateInspector.FunctionProperty(CfnYaml.Load("template.yaml"), "Handler") ?? "";

        var problems = ManagedHandlerProblems(handler, typeof(Function).Assembly);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("SecurityAlexa::SecurityAlexa.Function::Handle", "no public method")]
    [InlineData("SecurityAlexa::SecurityAlexa.Functions::HandleAsync", "no public type")]
    [InlineData("Security::SecurityAlexa.Function::HandleAsync", "assembly")]
    [InlineData("SecurityAlexa.Function::HandleAsync", "Assembly::Namespace.Type::Method")]
    [InlineData("SecurityAlexa::SecurityAlexa.SkillHost::ForLambda", "no public type")]
    public void ManagedHandlerProblems_WhenTheHandlerStringIsWrong_SaysWhy(string handler, string expected)
    {
        var problems = ManagedHandlerProblems(handler, typeof(Function).Assembly);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Templates_Runtimes_AreManagedDotnet10AndNativeAotOnProvidedAl2023()
    {
        Assert.Equal("dotnet10", (string?)TemplateInspector.FunctionProperty(CfnYaml.Load("template.yaml"), "Runtime"));
        var aot = CfnYaml.Load("template-aot.yaml");
        Assert.Equal("provided.al2023", (string?)TemplateInspector.FunctionProperty(aot, "Runtime"));
        Assert.Equal("bootstrap", (string?)TemplateInspector.FunctionProperty(aot, "Handler"));
        Assert.Equal("makefile", (string?)TemplateInspector.Function(aot)["Metadata"]?["BuildMethod"]);
    }

    [Fact]
    public void AotTemplate_Build_HasAMakefileTargetForTheFunctionThatPublishesBootstrap()
    {
        var aot = CfnYaml.Load("template-aot.yaml");
        var id = TemplateInspector.ResourcesOfType(aot, "AWS::Serverless::Function").Single().Id;
        var codeUri = (string)TemplateInspector.FunctionProperty(aot, "CodeUri")!;
        var makefile = RepoFiles.Read(codeUri, "Makefile");
        var project = RepoFiles.Read(codeUri, "SecurityAlexa.csproj");

        Assert.Contains($"build-{id}:", makefile, StringComparison.Ordinal);
        Assert.Contains("PublishAot=true", makefile, StringComparison.Ordinal);
        Assert.Contains("$(ARTIFACTS_DIR)/bootstrap", makefile, StringComparison.Ordinal);
        Assert.Contains("<StartupObject>SecurityAlexa.Bootstrap.Program</StartupObject>", project, StringComparison.Ordinal);
        Assert.Contains("bootstrap", project, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_WhenComparedWithoutRuntimeHandlerAndBuild_AreIdentical()
    {
        static JsonObject Core(string file)
        {
            var t = CfnYaml.Load(file);
            t.Remove("Description");
            var function = TemplateInspector.Function(t);
            function.Remove("Metadata");
            var properties = (JsonObject)function["Properties"]!;
            properties.Remove("Runtime");
            properties.Remove("Handler");
            return t;
        }

        Assert.True(JsonNode.DeepEquals(Core("template.yaml"), Core("template-aot.yaml")),
            "template.yaml and template-aot.yaml differ in more than Description, Runtime, Handler and Metadata; keep them in step.");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_IamActions_AreExactlyTheOperationsTheCodeCalls(string file)
    {
        var (_, problems) = TemplateInspector.Statements(CfnYaml.Load(file));
        var granted = TemplateInspector.Actions(CfnYaml.Load(file));

        var diff = ActionDifferences(granted, AwsOperations.All, PendingCapabilities.PendingActions);

        Assert.Empty(problems);
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }

    [Fact]
    public void ActionDifferences_WhenTheTemplateGrantsTooMuchOrTooLittle_NamesEachAction()
    {
        var diff = ActionDifferences(["ec2:DescribeTags", "ec2:TerminateInstances"], ["ec2:DescribeTags", "ssm:SendCommand"], new HashSet<string>());

        Assert.Contains(diff, d => d.Contains("ssm:SendCommand", StringComparison.Ordinal) && d.Contains("not granted", StringComparison.Ordinal));
        Assert.Contains(diff, d => d.Contains("ec2:TerminateInstances", StringComparison.Ordinal) && d.Contains("never calls", StringComparison.Ordinal));
        Assert.Equal(2, diff.Count);
    }

    [Fact]
    public void ActionDifferences_WhenAPendingCapabilityActionIsNotGranted_NamesIt()
    {
        var diff = ActionDifferences(["ec2:DescribeTags"], [], new HashSet<string> { "ec2:DescribeTags", "inspector2:ListFindings" });

        Assert.Equal(["inspector2:ListFindings is expected by a capability still being built (PendingCapabilities) but not granted in the template"], diff);
    }

    [Fact]
    public void Statements_WhenAPolicyIsAManagedPolicyOrWildcard_ReportsIt()
    {
        var template = CfnYaml.Parse("""
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties:
                  Policies:
                    - AmazonEC2FullAccess
                    - Statement:
                        - Effect: Allow
                          Action: ec2:*
                          Resource: "*"
            """);

        var (_, problems) = TemplateInspector.Statements(template);

        Assert.Contains(problems, p => p.Contains("not an inline document", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("wildcard action ec2:*", StringComparison.Ordinal));
    }

    [Fact]
    public void CfnYaml_WhenTemplateUsesShortTags_ReadsTheirLongForms()
    {
        var t = CfnYaml.Parse("""
            A: !Ref SkillId
            B: !GetAtt Fn.Arn
            C: !Sub "arn:${AWS::Partition}:x"
            D: !If [Cond, !Ref X, !Ref AWS::NoValue]
            """);

        Assert.Equal("SkillId", (string?)t["A"]!["Ref"]);
        Assert.Equal("Arn", (string?)t["B"]!["Fn::GetAtt"]![1]);
        Assert.Equal("arn:${AWS::Partition}:x", (string?)t["C"]!["Fn::Sub"]);
        Assert.Equal("X", (string?)t["D"]!["Fn::If"]![1]!["Ref"]);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_SendCommand_IsLimitedToRunPatchBaselineAndInstances(string file)
    {
        var statements = TemplateInspector.Statements(CfnYaml.Load(file)).Statements.Where(s => s.Actions.Contains("ssm:SendCommand")).ToList();

        Assert.NotEmpty(statements);
        foreach (var resource in statements.SelectMany(s => s.Resources).Select(Text))
            Assert.True(resource.EndsWith(":document/AWS-RunPatchBaseline", StringComparison.Ordinal) || resource.EndsWith(":instance/*", StringComparison.Ordinal),
                $"ssm:SendCommand is granted on {resource}");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_GetParameter_IsLimitedToTheConfiguredParameter(string file)
    {
        var resources = TemplateInspector.Statements(CfnYaml.Load(file)).Statements
            .Where(s => s.Actions.Contains("ssm:GetParameter")).SelectMany(s => s.Resources).Select(Text).ToList();

        Assert.NotEmpty(resources);
        // The webhook parameter, and the security code under the skill's own /securityalexa/ path; nothing else.
        Assert.All(resources, r => Assert.True(
            r.EndsWith(":parameter${ChatWebhookParameterName}", StringComparison.Ordinal) || r.EndsWith(":parameter/securityalexa/*", StringComparison.Ordinal),
            r + " grants ssm:GetParameter beyond the configured parameters"));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_StateTableActions_AreGrantedOnTheStateTableOnly(string file)
    {
        var statements = TemplateInspector.Statements(CfnYaml.Load(file)).Statements.Where(s => s.Actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal))).ToList();

        var statement = Assert.Single(statements);
        Assert.All(statement.Actions, a => Assert.StartsWith("dynamodb:", a));
        var resource = Assert.Single(statement.Resources);
        Assert.Equal("""{"Fn::GetAtt":["StateTable","Arn"]}""", resource!.ToJsonString().Replace(" ", "", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_StateTable_IsOnDemandWithTtlRecoveryEncryptionAndKeptOnDelete(string file)
    {
        var template = CfnYaml.Load(file);
        var (id, table) = Assert.Single(TemplateInspector.ResourcesOfType(template, "AWS::DynamoDB::Table"));
        var properties = table["Properties"]!;

        Assert.Equal("StateTable", id);
        Assert.Equal("Retain", (string?)table["DeletionPolicy"]);
        Assert.Equal("Retain", (string?)table["UpdateReplacePolicy"]);
        Assert.Equal("PAY_PER_REQUEST", (string?)properties["BillingMode"]);
        Assert.Equal("pk", (string?)properties["KeySchema"]![0]!["AttributeName"]);
        Assert.Equal("HASH", (string?)properties["KeySchema"]![0]!["KeyType"]);
        Assert.Single(properties["KeySchema"]!.AsArray());
        Assert.Equal(SecurityAlexa.State.StateItem.ExpiryAttribute, (string?)properties["TimeToLiveSpecification"]!["AttributeName"]);
        Assert.Equal("true", properties["TimeToLiveSpecification"]!["Enabled"]!.ToString().ToLowerInvariant());
        Assert.Equal("true", properties["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.ToString().ToLowerInvariant());
        Assert.Equal("true", properties["SSESpecification"]!["SSEEnabled"]!.ToString().ToLowerInvariant());
        Assert.Equal("""{"Ref":"StateTable"}""", TemplateInspector.FunctionProperty(template, "Environment")!["Variables"]!["STATE_TABLE"]!.ToJsonString().Replace(" ", "", StringComparison.Ordinal));
    }

    // What isolation, release and evidence need, by resource type: an action listed for one type only would pass
    // the action-list comparison and still fail in production, on the first interface or instance it touches.
    public static TheoryData<string, string, string> ResourceGrants()
    {
        var data = new TheoryData<string, string, string>();
        (string Action, string[] Types)[] needed =
        [
            ("ec2:CreateTags", ["instance", "network-interface", "security-group", "snapshot"]),
            ("ec2:DeleteTags", ["instance", "network-interface"]),
            ("ec2:ModifyInstanceAttribute", ["instance"]),
            ("ec2:ModifyNetworkInterfaceAttribute", ["network-interface", "security-group"]),
            ("ec2:CreateSnapshots", ["instance", "volume", "snapshot"]),
            ("ssm:SendCommand", ["instance", "document"]),
        ];
        foreach (var file in new[] { "template.yaml", "template-aot.yaml" })
            foreach (var (action, types) in needed)
                foreach (var type in types) data.Add(file, action, type);
        return data;
    }

    [Theory]
    [MemberData(nameof(ResourceGrants))]
    public void Template_EachChange_IsGrantedOnEveryResourceTypeItTouches(string file, string action, string resourceType)
    {
        var resources = TemplateInspector.Statements(CfnYaml.Load(file)).Statements
            .Where(s => s.Actions.Contains(action)).SelectMany(s => s.Resources).Select(Text).ToList();

        Assert.True(resources.Any(r => r.Contains($":{resourceType}/", StringComparison.Ordinal)),
            $"{file} grants {action} on {string.Join(", ", resources)}, not on {resourceType}");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_InstanceChanges_AreConditionedOnTheInstanceTags(string file)
    {
        var statements = TemplateInspector.Statements(CfnYaml.Load(file)).Statements
            .Where(s => s.Actions.Contains("ec2:ModifyInstanceAttribute") || s.Resources.Select(Text).Any(r => r.EndsWith(":instance/*", StringComparison.Ordinal) && !s.Actions.Contains("ssm:SendCommand")))
            .ToList();

        Assert.NotEmpty(statements);
        Assert.All(statements, s => Assert.Contains("ec2:ResourceTag/", s.Condition?.ToJsonString() ?? "", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_FunctionTimeout_IsTheOneQueuedWorkIsToldAndTheQueueAndTheSandboxAgree(string file)
    {
        // Alexa turns keep their own RESPONSE_BUDGET_MS whatever the timeout (BatchDeadlineTests); queued work uses it all.
        var template = CfnYaml.Load(file);
        var timeout = Int(TemplateInspector.FunctionProperty(template, "Timeout"));
        var variables = TemplateInspector.Function(template)["Properties"]!["Environment"]!["Variables"]!;
        var queue = template["Resources"]!["WorkQueue"]!["Properties"]!;
        var mapping = TemplateInspector.ResourcesOfType(template, "AWS::Lambda::EventSourceMapping").Single().Resource["Properties"]!;
        var window = Int(mapping["MaximumBatchingWindowInSeconds"]);
        var sandbox = new SecurityAlexa.Sandbox.InMemoryWorkQueue(TimeProvider.System);

        Assert.Equal(timeout, Int(variables["FUNCTION_TIMEOUT_SECONDS"]));
        Assert.InRange(timeout, 30, 900);
        Assert.Null(variables["RESPONSE_BUDGET_MS"]);
        // AWS: the source queue's visibility timeout at least six times the function's timeout plus the batching window.
        Assert.True(Int(queue["VisibilityTimeout"]) >= 6 * timeout + window);
        Assert.Equal(TimeSpan.FromSeconds(timeout), sandbox.FunctionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(Int(queue["VisibilityTimeout"])), sandbox.VisibilityTimeout);
        Assert.Equal(Int(mapping["BatchSize"]), sandbox.BatchSize);
        // Every unit of a full batch gets its worst case (and the stop after it) inside what the invocation leaves the batch.
        Assert.True(Int(mapping["BatchSize"]) * (SecurityAlexa.Skill.WorkConsumer.UnitWorstCase + SecurityAlexa.Skill.WorkConsumer.Overrun)
            <= TimeSpan.FromSeconds(timeout) - SecurityAlexa.Skill.BackgroundDeadline.Margin);
        Assert.Equal(Int(queue["RedrivePolicy"]!["maxReceiveCount"]), sandbox.MaxReceiveCount);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_SkillId_GuardsTheTriggerAndReachesTheFunction(string file)
    {
        var template = CfnYaml.Load(file);
        var properties = TemplateInspector.Function(template)["Properties"]!;
        var alexa = (properties["Events"] as JsonObject ?? []).Select(e => e.Value).Single(e => (string?)e?["Type"] == "AlexaSkill");

        Assert.NotNull(template["Parameters"]?["SkillId"]);
        Assert.Equal("SkillId", (string?)alexa!["Properties"]?["SkillId"]?["Ref"]);
        Assert.Equal("SkillId", (string?)properties["Environment"]?["Variables"]?["SKILL_ID"]?["Ref"]);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_IsolateTagRule_MatchesCreateTagsWithTheConfiguredTagAndTargetsTheWorkQueueOnly(string file)
    {
        var template = CfnYaml.Load(file);
        var (ruleId, rule) = TemplateInspector.ResourcesOfType(template, "AWS::Events::Rule").Single(r => r.Resource["Properties"]?["EventPattern"] is not null);
        var pattern = rule["Properties"]!["EventPattern"]!;
        var policy = TemplateInspector.ResourcesOfType(template, "AWS::SQS::QueuePolicy").Single().Resource["Properties"]!;
        var statement = policy["PolicyDocument"]!["Statement"]!.AsArray().Single()!;

        Assert.Equal("aws.ec2", (string?)pattern["source"]![0]);
        Assert.Equal("AWS API Call via CloudTrail", (string?)pattern["detail-type"]![0]);
        Assert.Equal("CreateTags", (string?)pattern["detail"]!["eventName"]![0]);
        Assert.Equal("IsolateTagKey", (string?)pattern["detail"]!["requestParameters"]!["tagSet"]!["items"]!["key"]![0]!["Ref"]);
        Assert.Equal("IsolateTagValue", (string?)pattern["detail"]!["requestParameters"]!["tagSet"]!["items"]!["value"]![0]!["Ref"]);
        Assert.Equal("WorkQueue", (string?)rule["Properties"]!["Targets"]!.AsArray().Single()!["Arn"]!["Fn::GetAtt"]![0]);
        // Only this rule may send to the queue, and the function is no longer its target.
        Assert.Equal("WorkQueue", (string?)policy["Queues"]![0]!["Ref"]);
        Assert.Equal("events.amazonaws.com", (string?)statement["Principal"]!["Service"]);
        Assert.Equal("sqs:SendMessage", (string?)statement["Action"]);
        Assert.Equal(ruleId, (string?)statement["Condition"]!["ArnEquals"]!["aws:SourceArn"]!["Fn::GetAtt"]![0]);
        Assert.DoesNotContain(TemplateInspector.ResourcesOfType(template, "AWS::Lambda::Permission"),
            p => (string?)p.Resource["Properties"]!["SourceArn"]!["Fn::GetAtt"]![0] == ruleId);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_WorkQueue_RedrivesToAnEncryptedDeadLetterQueueAfterThreeReceivesKeptFourteenDaysAndAlarmed(string file)
    {
        var template = CfnYaml.Load(file);
        var queue = template["Resources"]!["WorkQueue"]!["Properties"]!;
        var dlq = template["Resources"]!["WorkDeadLetterQueue"]!["Properties"]!;
        var alarm = TemplateInspector.ResourcesOfType(template, "AWS::CloudWatch::Alarm").Single().Resource["Properties"]!;
        var timeout = Int(TemplateInspector.FunctionProperty(template, "Timeout"));

        Assert.Equal(3, Int(queue["RedrivePolicy"]!["maxReceiveCount"]));
        Assert.Equal("WorkDeadLetterQueue", (string?)queue["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(14 * 24 * 3600, Int(dlq["MessageRetentionPeriod"]));
        Assert.True(Bool(queue["SqsManagedSseEnabled"]));
        Assert.True(Bool(dlq["SqsManagedSseEnabled"]));
        Assert.True(Int(queue["VisibilityTimeout"]) >= 6 * timeout, "the visibility timeout must be at least six times the function's timeout");
        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)alarm["MetricName"]);
        Assert.Equal("WorkDeadLetterQueue", (string?)alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]);
        Assert.Equal(1, Int(alarm["Threshold"]));
        Assert.Equal("GreaterThanOrEqualToThreshold", (string?)alarm["ComparisonOperator"]);
    }

    // CfnYaml keeps scalars as written.
    private static int Int(JsonNode? node) => int.Parse(node!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool Bool(JsonNode? node) => node!.ToString() == "true";

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_WorkQueue_IsConsumedByTheFunctionWithBatchItemFailuresAndItsUrlIsConfigured(string file)
    {
        var template = CfnYaml.Load(file);
        var functionId = TemplateInspector.ResourcesOfType(template, "AWS::Serverless::Function").Single().Id;
        var mapping = TemplateInspector.ResourcesOfType(template, "AWS::Lambda::EventSourceMapping").Single().Resource["Properties"]!;
        var variables = TemplateInspector.Function(template)["Properties"]!["Environment"]!["Variables"]!;

        Assert.Equal("WorkQueue", (string?)mapping["EventSourceArn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(functionId, (string?)mapping["FunctionName"]!["Ref"]);
        Assert.Equal(["ReportBatchItemFailures"], mapping["FunctionResponseTypes"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("WorkQueue", (string?)variables["WORK_QUEUE_URL"]!["Ref"]);
        // SAM's SQS event would attach a managed policy over every queue: the mapping is declared by hand instead.
        Assert.DoesNotContain(TemplateInspector.Function(template)["Properties"]!["Events"]!.AsObject(), e => (string?)e.Value!["Type"] == "SQS");
        var sqs = TemplateInspector.Statements(template).Statements.Where(s => s.Actions.Any(a => a.StartsWith("sqs:", StringComparison.Ordinal))).ToList();
        Assert.Equal("WorkQueue", (string?)Assert.Single(Assert.Single(sqs).Resources)!["Fn::GetAtt"]![0]);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_Schedule_InvokesTheFunctionEveryFiveMinutes(string file)
    {
        var template = CfnYaml.Load(file);
        var functionId = TemplateInspector.ResourcesOfType(template, "AWS::Serverless::Function").Single().Id;
        var (ruleId, rule) = TemplateInspector.ResourcesOfType(template, "AWS::Events::Rule").Single(r => r.Resource["Properties"]?["ScheduleExpression"] is not null);
        var permission = TemplateInspector.ResourcesOfType(template, "AWS::Lambda::Permission").Single().Resource["Properties"]!;

        Assert.Equal("rate(5 minutes)", (string?)rule["Properties"]!["ScheduleExpression"]);
        Assert.Equal(functionId, (string?)rule["Properties"]!["Targets"]![0]!["Arn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(functionId, (string?)permission["FunctionName"]!["Ref"]);
        Assert.Equal("events.amazonaws.com", (string?)permission["Principal"]);
        Assert.Equal(ruleId, (string?)permission["SourceArn"]!["Fn::GetAtt"]![0]);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_Parameters_CoverTheConfigurationAndEachReachesTheFunction(string file)
    {
        var template = CfnYaml.Load(file);
        var variables = TemplateInspector.Function(template)["Properties"]!["Environment"]!["Variables"]!.AsObject();
        var passed = variables.Select(v => v.Value is JsonObject o ? (string?)o["Ref"] : null).ToHashSet();

        foreach (var name in new[] { "SkillId", "IsolateTagKey", "IsolateTagValue", "PatchCap", "PatchRebootOption", "ChatWebhookParameterName", "SnapshotOnIsolation" })
        {
            Assert.NotNull(template["Parameters"]?[name]);
            Assert.Contains(name, passed);
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_EnvironmentVariables_AreEachReadByTheCodeOrWaitForTheirCapability(string file)
    {
        var variables = TemplateInspector.Function(CfnYaml.Load(file))["Properties"]!["Environment"]!["Variables"]!.AsObject().Select(v => v.Key);
        var source = string.Concat(Directory.EnumerateFiles(RepoFiles.Path("src", "SecurityAlexa"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        var unread = variables.Where(v => !source.Contains('"' + v + '"', StringComparison.Ordinal) && !PendingCapabilities.PendingVariables.Contains(v)).ToList();

        Assert.True(unread.Count == 0, "The template sets variables no code reads: " + string.Join(", ", unread));
    }

    [Fact]
    public void Settings_ReadByTheCode_AreEachDocumentedUnderOneName()
    {
        // Every setting the function reads through SkillConfig must be findable by its exact name in the docs,
        // so an operator never sets a name the code ignores. AWS's own variables are documented by AWS.
        var source = string.Concat(Directory.EnumerateFiles(RepoFiles.Path("src", "SecurityAlexa"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var names = System.Text.RegularExpressions.Regex.Matches(source, @"config\.(?:String|Int|Bool|Optional)\(""([A-Z][A-Z0-9_]+)""")
            .Select(m => m.Groups[1].Value).Where(n => !n.StartsWith("AWS_", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var docs = RepoFiles.Read("README.md") + string.Concat(Directory.EnumerateFiles(RepoFiles.Path("docs"), "*.md").Select(File.ReadAllText));

        Assert.Contains("ISOLATE_TAG_KEY", names);
        var undocumented = names.Where(n => !docs.Contains('`' + n + '`', StringComparison.Ordinal)).ToList();
        Assert.True(undocumented.Count == 0, "Settings the code reads but no document names: " + string.Join(", ", undocumented));
        // The retired aliases stay retired: one name per setting.
        Assert.DoesNotContain("ISOLATE_TAG", names);
        Assert.DoesNotContain("SNAPSHOT_ON_ISOLATE", names);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_Outputs_IncludeTheFunctionArnForTheSkillManifest(string file)
    {
        var template = CfnYaml.Load(file);
        var functionId = TemplateInspector.ResourcesOfType(template, "AWS::Serverless::Function").Single().Id;

        Assert.Contains((template["Outputs"] as JsonObject ?? []).Select(o => o.Value?["Value"]?["Fn::GetAtt"]),
            v => (string?)v?[0] == functionId && (string?)v?[1] == "Arn");
    }

    /// <summary>What is wrong with a managed-runtime handler string (Assembly::Namespace.Type::Method), or nothing.</summary>
    public static List<string> ManagedHandlerProblems(string handler, Assembly assembly)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3) return [$"\"{handler}\" is not of the form Assembly::Namespace.Type::Method"];
        var problems = new List<string>();
        if (parts[0] != assembly.GetName().Name) problems.Add($"assembly {parts[0]} is not {assembly.GetName().Name}");
        var type = assembly.GetType(parts[1]);
        if (type is null || !type.IsPublic) return [.. problems, $"no public type {parts[1]}"];
        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            problems.Add($"{type.Name} needs a public parameterless constructor for the runtime to create it");
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.Name == parts[2]).ToList();
        if (methods.Count == 0) return [.. problems, $"no public method {parts[2]} on {type.Name}"];
        if (methods.Count > 1) problems.Add($"{parts[2]} is overloaded; the runtime needs one method");
        var method = methods[0];
        var parameters = method.GetParameters();
        // With no Lambda serializer, the runtime passes the payload as a Stream and accepts a Stream (or Task<Stream>) back.
        if (parameters.Length != 1 || parameters[0].ParameterType != typeof(Stream))
            problems.Add($"{parts[2]} must take exactly one Stream (no serializer is configured)");
        if (method.ReturnType != typeof(Stream) && method.ReturnType != typeof(Task<Stream>))
            problems.Add($"{parts[2]} must return Stream or Task<Stream>, not {method.ReturnType.Name}");
        return problems;
    }

    /// <summary>Actions granted but never called, and called but not granted (pending capabilities excepted).</summary>
    public static List<string> ActionDifferences(IEnumerable<string> granted, IEnumerable<string> called, IReadOnlySet<string> pending)
    {
        var g = granted.ToHashSet(StringComparer.Ordinal);
        var c = called.ToHashSet(StringComparer.Ordinal);
        var diff = c.Where(a => !g.Contains(a)).Order(StringComparer.Ordinal)
            .Select(a => $"{a} is called by the code (AwsOperations.All) but not granted in the template").ToList();
        diff.AddRange(g.Where(a => !c.Contains(a) && !pending.Contains(a)).Order(StringComparer.Ordinal)
            .Select(a => $"{a} is granted in the template but the code never calls it (not in AwsOperations.All)"));
        diff.AddRange(pending.Where(a => !g.Contains(a)).Order(StringComparer.Ordinal)
            .Select(a => $"{a} is expected by a capability still being built (PendingCapabilities) but not granted in the template"));
        diff.AddRange(c.Where(a => !ActionName().IsMatch(a)).Select(a => $"{a} in AwsOperations.All is not an IAM action name (service:Action)"));
        return diff;
    }

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Sub"] is JsonValue sub => sub.GetValue<string>(),
        _ => node?.ToJsonString() ?? "",
    };

    [GeneratedRegex("^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$")]
    private static partial Regex ActionName();
}
