using System.Text.Json.Nodes;
using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>Issue 13 §1: who may isolate by tag, from where, and how many; what a refusal leaves behind.</summary>
public sealed class TagEventPolicyTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private const string Alice = "arn:aws:sts::111122223333:assumed-role/SecOps/alice";
    private const string EventId = "5b3c2f0e-0000-4000-8000-00000000e013";

    private static string Event(string[] resources, string principal = Alice, string account = "111122223333", string region = "us-east-1",
        string? roleArn = null)
    {
        var identity = new JsonObject { ["type"] = principal.Contains(":assumed-role/", StringComparison.Ordinal) ? "AssumedRole" : "IAMUser", ["arn"] = principal };
        if (roleArn is not null)
            identity["sessionContext"] = new JsonObject { ["sessionIssuer"] = new JsonObject { ["type"] = "Role", ["arn"] = roleArn } };
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = "7d2a0c1e-0000-4000-8000-00000000e013",
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws.ec2",
            ["account"] = account,
            ["time"] = "2026-12-06T21:00:00Z",
            ["region"] = region,
            ["resources"] = new JsonArray(),
            ["detail"] = new JsonObject
            {
                ["eventVersion"] = "1.09",
                ["userIdentity"] = identity,
                ["eventTime"] = "2026-12-06T21:00:00Z",
                ["eventSource"] = "ec2.amazonaws.com",
                ["eventName"] = "CreateTags",
                ["awsRegion"] = region,
                ["sourceIPAddress"] = "198.51.100.77",
                ["userAgent"] = "aws-cli/2.15.0 Python/3.11",
                ["requestParameters"] = new JsonObject
                {
                    ["resourcesSet"] = new JsonObject { ["items"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject { ["resourceId"] = r }).ToArray()) },
                    ["tagSet"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["key"] = "SecurityAlexa:Isolate", ["value"] = "true" }) },
                },
                ["eventID"] = EventId,
                ["eventType"] = "AwsApiCall",
                ["recipientAccountId"] = account,
            },
        }.ToJsonString();
    }

    private static (Ec2Network Net, RecordingChat Chat, SkillDriver Driver) Setup(string? principals, string? max = null)
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var chat = new RecordingChat();
        var env = new Dictionary<string, string> { ["FUNCTION_ACCOUNT_ID"] = "111122223333", ["AWS_REGION"] = "us-east-1" };
        if (principals is not null) env["ISOLATE_TAG_PRINCIPALS"] = principals;
        if (max is not null) env["ISOLATE_TAG_MAX"] = max;
        return (net, chat, new SkillDriver(IsolationServices.Over(net, chat), environment: env));
    }

    private static JsonNode Audit(SkillDriver driver) =>
        JsonNode.Parse(Assert.Single(driver.Log.Lines, l => l.Contains("\"kind\":\"audit\"", StringComparison.Ordinal)
            && l.Contains("isolate-by-tag", StringComparison.Ordinal)))!;

    [Fact]
    public async Task TagEvent_WhenNoPrincipalIsConfigured_IsRefusedWithNoAwsCallAPostAndAnAuditRecord()
    {
        var (net, chat, driver) = Setup(principals: null);

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Event([Db1]))));

        Assert.Empty(failures);
        Assert.Equal(TagEventPolicy.NoPrincipalsConfigured, (string?)Audit(driver)["reason"]);
        Assert.Empty(net.Calls);
        Assert.DoesNotContain(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
        var post = Assert.Single(chat.Posts);
        Assert.Contains("REFUSED isolation by tag", post, StringComparison.Ordinal);
        Assert.Contains(Alice, post, StringComparison.Ordinal);
        Assert.Contains(Db1, post, StringComparison.Ordinal);
        Assert.Contains("ISOLATE_TAG_PRINCIPALS is set", post, StringComparison.Ordinal);
        var audit = Audit(driver);
        Assert.Equal("refused", (string?)audit["outcome"]);
        Assert.Equal(Alice, (string?)audit["principalArn"]);
        Assert.Equal("198.51.100.77", (string?)audit["sourceIp"]);
        Assert.Equal("aws-cli/2.15.0 Python/3.11", (string?)audit["userAgent"]);
        Assert.Equal(EventId, (string?)audit["eventId"]);
        Assert.Equal(Db1, (string?)audit["targets"]![0]);
    }

    [Theory]
    // Another role's session, and a pattern whose * would have to cross a path segment.
    [InlineData("arn:aws:sts::111122223333:assumed-role/SecOps/*", "arn:aws:sts::111122223333:assumed-role/Developer/bob")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/*", Alice)]
    [InlineData("arn:aws:iam::111122223333:role/Sec*", "arn:aws:iam::111122223333:user/SecOps")]
    [InlineData("arn:aws:iam::444455556666:role/SecOps", Alice)]
    public async Task TagEvent_FromAPrincipalNoPatternMatches_IsRefusedAndIsolatesNothing(string patterns, string principal)
    {
        var (net, chat, driver) = Setup(patterns);

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Event([Db1], principal))));

        Assert.Empty(failures);
        Assert.Equal(TagEventPolicy.PrincipalNotAllowed, (string?)Audit(driver)["reason"]);
        Assert.Empty(net.Calls);
        Assert.Contains(principal, Assert.Single(chat.Posts), StringComparison.Ordinal);
        Assert.Equal(principal, (string?)Audit(driver)["principalArn"]);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/SecOps/*", null)]
    // A role pattern admits the role's sessions.
    [InlineData("arn:aws:iam::111122223333:role/SecOps", null)]
    // A role with a path: CloudTrail's session issuer carries the path that the session ARN drops.
    [InlineData("arn:aws:iam::111122223333:role/teams/SecOps", "arn:aws:iam::111122223333:role/teams/SecOps")]
    [InlineData("arn:aws:iam::111122223333:user/ci, arn:aws:iam::111122223333:role/*/SecOps", "arn:aws:iam::111122223333:role/teams/SecOps")]
    public async Task TagEvent_FromAnAllowedPrincipal_Isolates(string patterns, string? roleArn)
    {
        var (net, chat, driver) = Setup(patterns);

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Event([Db1], roleArn: roleArn))));

        Assert.Empty(failures);
        Assert.Contains(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
        Assert.DoesNotContain(chat.Posts, p => p.Contains("REFUSED", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("444455556666", "us-east-1", TagEventPolicy.WrongAccount)]
    [InlineData("111122223333", "eu-west-1", TagEventPolicy.WrongRegion)]
    public async Task TagEvent_FromAnotherAccountOrRegion_IsRefusedEvenForAnAllowedPrincipal(string account, string region, string why)
    {
        var (net, chat, driver) = Setup("arn:aws:sts::*:assumed-role/SecOps/*");

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Event([Db1], Alice.Replace("111122223333", account, StringComparison.Ordinal), account, region))));

        // Another account's event is poison (it ends in the DLQ); any other refusal is final and deleted.
        Assert.Equal(why == TagEventPolicy.WrongAccount ? ["m-1"] : new List<string>(), failures);
        Assert.Equal(why, (string?)Audit(driver)["reason"]);
        Assert.Empty(net.Calls);
        Assert.Single(chat.Posts);
        Assert.Equal(why, (string?)Audit(driver)["reason"]);
    }

    [Fact]
    public async Task TagEvent_WhenTheFunctionsAccountIsUnknown_IsRefused()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var driver = new SkillDriver(IsolationServices.Over(net), environment: new Dictionary<string, string>
        {
            ["ISOLATE_TAG_PRINCIPALS"] = "arn:aws:sts::111122223333:assumed-role/SecOps/*", ["AWS_REGION"] = "us-east-1",
        });

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Event([Db1]))));

        Assert.Equal(["m-1"], failures);
        Assert.Equal(TagEventPolicy.WrongAccount, (string?)Audit(driver)["reason"]);
        Assert.Empty(net.Calls);
    }

    [Fact]
    public async Task TagEvent_WithMoreInstancesThanTheMaximum_IsRefusedWholeAndIsolatesNone()
    {
        var (net, chat, driver) = Setup("arn:aws:sts::111122223333:assumed-role/SecOps/*");
        var ids = Enumerable.Range(0, 11).Select(i => $"i-0a1b2c3d4e5f6{i:x4}").Append(Db1).ToArray();

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Event(ids))));

        Assert.Empty(failures);
        Assert.Equal(TagEventPolicy.TooManyInstances, (string?)Audit(driver)["reason"]);
        Assert.Empty(net.Calls);
        Assert.DoesNotContain(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
        var post = Assert.Single(chat.Posts);
        Assert.Contains("12 instances", post, StringComparison.Ordinal);
        Assert.Contains("at most 10 instances", post, StringComparison.Ordinal);
        Assert.Equal(12, (int?)Audit(driver)["targetCount"]);
    }

    [Fact]
    public async Task TagEvent_WithinARaisedMaximum_Isolates()
    {
        var (net, _, driver) = Setup("arn:aws:sts::111122223333:assumed-role/SecOps/*", max: "20");
        var ids = Enumerable.Range(0, 11).Select(i => $"i-0a1b2c3d4e5f6{i:x4}").Append(Db1).ToArray();

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Event(ids))));

        Assert.Empty(failures);
        Assert.Contains(SkillTags.IsolatedAt, net.Instances[Db1].Tags.Keys);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/SecOps/*", "arn:aws:sts::111122223333:assumed-role/SecOps/alice", true)]
    [InlineData("arn:aws:sts::111122223333:assumed-role/SecOps/*", "arn:aws:sts::111122223333:assumed-role/SecOps/alice/x", false)]
    [InlineData("arn:aws:sts::*:assumed-role/SecOps/*", "arn:aws:sts::111122223333:assumed-role/SecOps/alice", true)]
    [InlineData("arn:aws:sts::*:assumed-role/SecOps/*", "arn:aws:sts::1:2:assumed-role/SecOps/alice", false)]
    [InlineData("arn:aws:iam::111122223333:role/SecOps", "arn:aws:iam::111122223333:role/SecOpsAdmin", false)]
    [InlineData("arn:aws:iam::111122223333:role/Sec.ps", "arn:aws:iam::111122223333:role/SecOps", false)]
    public void PatternRegex_StarStaysWithinOneSegmentAndTheRestIsLiteral(string pattern, string arn, bool matches)
    {
        Assert.Equal(matches, TagEventPolicy.PatternRegex(pattern).IsMatch(arn));
    }
}
