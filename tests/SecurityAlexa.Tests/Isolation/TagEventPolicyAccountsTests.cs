using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityAlexa.Accounts;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;


namespace SecurityAlexa.Tests.Isolation;

/// <summary>Issue 14: a tag event from an enrolled member account goes on, named by its scope; a stranger's is refused as before.</summary>
public sealed class TagEventPolicyAccountsTests
{
    private const string Home = "111122223333";
    private const string Payments = "444455556666";
    private const string Stranger = "777788889999";

    private readonly RecordingChat _chat = new();
    private readonly MemoryLogSink _log = new();

    private TagEventPolicy Policy(bool enrolled = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["FUNCTION_ACCOUNT_ID"] = Home, ["AWS_REGION"] = "us-east-1",
            ["ISOLATE_TAG_PRINCIPALS"] = "arn:aws:sts::*:assumed-role/SecOps/*",
        };
        if (enrolled)
        {
            settings["REGIONS"] = "eu-west-1";
            settings["MEMBER_ACCOUNTS"] = "payments=" + Payments;
            settings["MEMBER_EXTERNAL_ID"] = "ext-123";
        }
        var config = SkillConfig.FromEnvironment(settings);
        return TagEventPolicy.From(config, _chat, new SkillLog(_log, TimeProvider.System), SpeechCatalog.LoadEmbedded().For("en-US"));
    }

    private static JsonElement Event(string account, string region) => JsonDocument.Parse(new JsonObject
    {
        ["id"] = "7d2a0c1e-0000-4000-8000-00000000e014",
        ["detail-type"] = "AWS API Call via CloudTrail",
        ["source"] = "aws.ec2",
        ["account"] = account,
        ["region"] = region,
        ["detail"] = new JsonObject
        {
            ["userIdentity"] = new JsonObject { ["type"] = "AssumedRole", ["arn"] = $"arn:aws:sts::{account}:assumed-role/SecOps/alice" },
            ["eventName"] = "CreateTags",
            ["awsRegion"] = region,
            ["eventID"] = "5b3c2f0e-0000-4000-8000-00000000e014",
            ["recipientAccountId"] = account,
        },
    }.ToJsonString()).RootElement;

    private string AuditReason() => (string?)JsonNode.Parse(Assert.Single(_log.Lines, l => l.Contains("\"kind\":\"audit\"", StringComparison.Ordinal)))!["reason"] ?? "";

    [Theory]
    [InlineData(Payments, "us-east-1")]
    [InlineData(Payments, "eu-west-1")]
    [InlineData(Home, "eu-west-1")]
    [InlineData(Home, "us-east-1")]
    public async Task DecideAsync_AnEnrolledAccountInAnAllowedRegion_GoesOnNamingItsAccountAndRegion(string account, string region)
    {
        var decision = await Policy().DecideAsync(Event(account, region), ["i-0a1b2c3d4e5f64f2a"], CancellationToken.None);

        Assert.Null(decision.Refusal);
        Assert.Equal(account, decision.AccountId);
        Assert.Equal(region, decision.Region);
        Assert.Empty(_chat.Posts);
    }

    [Fact]
    public async Task DecideAsync_AStrangersEvent_IsRefusedAsWrongAccount_PostedAndAudited()
    {
        var decision = await Policy().DecideAsync(Event(Stranger, "us-east-1"), ["i-0a1b2c3d4e5f64f2a"], CancellationToken.None);

        Assert.Equal("refused", decision.Refusal?.Status);
        Assert.Equal(TagEventPolicy.WrongAccount, decision.Refusal?.Detail);
        Assert.Null(decision.AccountId);
        Assert.Single(_chat.Posts);
        Assert.Equal(TagEventPolicy.WrongAccount, AuditReason());
    }

    [Fact]
    public async Task DecideAsync_AnEnrolledAccountInARegionNotAllowed_IsRefusedAsWrongRegion()
    {
        var decision = await Policy().DecideAsync(Event(Payments, "ap-northeast-1"), ["i-0a1b2c3d4e5f64f2a"], CancellationToken.None);

        Assert.Equal(TagEventPolicy.WrongRegion, decision.Refusal?.Detail);
        Assert.Single(_chat.Posts);
        Assert.Equal(TagEventPolicy.WrongRegion, AuditReason());
    }

    [Fact]
    public async Task DecideAsync_WhenTheRecipientIsAnotherAccount_IsRefused()
    {
        var evt = JsonNode.Parse(Event(Payments, "us-east-1").GetRawText())!;
        evt["detail"]!["recipientAccountId"] = Stranger;

        var decision = await Policy().DecideAsync(JsonDocument.Parse(evt.ToJsonString()).RootElement, ["i-0a1b2c3d4e5f64f2a"], CancellationToken.None);

        Assert.Equal(TagEventPolicy.WrongAccount, decision.Refusal?.Detail);
    }

    [Theory]
    [InlineData(Payments, "us-east-1", TagEventPolicy.WrongAccount)]
    [InlineData(Home, "eu-west-1", TagEventPolicy.WrongRegion)]
    public async Task DecideAsync_WithNothingEnrolled_RefusesEverythingButTheFunctionsOwnAccountAndRegion(string account, string region,
        string why)
    {
        var policy = Policy(enrolled: false);

        var refused = await policy.DecideAsync(Event(account, region), ["i-0a1b2c3d4e5f64f2a"], CancellationToken.None);
        var home = await policy.DecideAsync(Event(Home, "us-east-1"), ["i-0a1b2c3d4e5f64f2a"], CancellationToken.None);

        Assert.Equal(why, refused.Refusal?.Detail);
        Assert.Null(refused.AccountId);
        Assert.Equal(why, AuditReason());
        Assert.Single(_chat.Posts);
        Assert.Null(home.Refusal);
        Assert.Equal((Home, "us-east-1"), (home.AccountId, home.Region));
    }
}
