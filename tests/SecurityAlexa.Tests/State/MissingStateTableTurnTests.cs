using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Patching;
using SecurityAlexa.Skill;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.State;

/// <summary>
/// STATE_TABLE unset, through the real entry point: a change is refused as a configuration answer (not "AWS refused"),
/// nothing in EC2, SSM or DynamoDB is called, the log says it once, and the safety conclusions drawn from the failure
/// kind hold (nothing was sent).
/// </summary>
public sealed class MissingStateTableTurnTests
{
    private readonly Mock<IAmazonEC2> _ec2 = new();
    private readonly Mock<IAmazonSimpleSystemsManagement> _ssm = new();
    private readonly Mock<IAmazonDynamoDB> _dynamo = new(MockBehavior.Strict);

    private SkillDriver Driver()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9" };
        var services = AwsServices.Create(SkillConfig.FromEnvironment(env, requireSkillId: false),
            new AwsClients(FakeAws.Region, _ec2.Object, _ssm.Object, _dynamo.Object), FakeAws.NoDelay);
        Assert.IsType<MissingStateTable>(services.State);
        return new SkillDriver(services, environment: env);
    }

    private static AlexaRequests Isolate() =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null), ("Reason", "incident 42"),
            ("ConfirmCount", null), ("SecurityCode", null));

    private static AlexaRequests Patch() =>
        AlexaRequests.Intent("PatchIntent", ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null), ("Scope", null),
            ("Selection", "all of them"), ("ExceptName", null), ("ConfirmCount", null), ("SecurityCode", null));

    // Anything that would change the fleet or send a command.
    private void AssertNothingChanged()
    {
        Assert.DoesNotContain(_ec2.Invocations, i => !i.Method.Name.StartsWith("Describe", StringComparison.Ordinal));
        Assert.DoesNotContain(_ssm.Invocations, i => i.Method.Name is "SendCommandAsync" or "PutParameterAsync" or "DeleteParameterAsync");
        // Not even DynamoDB: the table is not named, so nothing can be asked of it (a strict mock would throw).
        Assert.Empty(_dynamo.Invocations);
    }

    [Fact]
    public async Task Isolate_WithoutSTATE_TABLE_SaysTheTableIsNotConfigured_AndChangesNothing()
    {
        var driver = Driver();

        var readBack = await driver.SayAsync(Isolate());
        var confirmed = await driver.SayAsync(Isolate().Confirmation("CONFIRMED").Dialog("IN_PROGRESS"));

        var expected = driver.Lang.Text("aws.stateTableNotConfigured");
        Assert.Contains("STATE_TABLE", expected, StringComparison.Ordinal);
        Assert.Equal(expected, confirmed.Speech);
        Assert.Equal(expected, readBack.Speech);
        Assert.DoesNotContain("refused", confirmed.Speech, StringComparison.OrdinalIgnoreCase);
        AssertNothingChanged();
    }

    [Fact]
    public async Task Patch_WithoutSTATE_TABLE_SaysTheTableIsNotConfigured_SendsNoCommand()
    {
        var driver = Driver();

        var first = await driver.SayAsync(Patch());
        var confirmed = await driver.SayAsync(Patch().Confirmation("CONFIRMED").Dialog("IN_PROGRESS"));

        var expected = driver.Lang.Text("aws.stateTableNotConfigured");
        Assert.Equal(expected, first.Speech);
        Assert.Equal(expected, confirmed.Speech);
        AssertNothingChanged();
    }

    [Fact]
    public async Task ManyTurns_WithoutSTATE_TABLE_LogTheMissingSettingOnce_AndNoAwsFailure()
    {
        var driver = Driver();

        await driver.SayAsync(Isolate());
        await driver.SayAsync(Isolate());
        await driver.SayAsync(Patch());

        var missing = Assert.Single(driver.LogsOf("config.missing"));
        Assert.Equal(MissingStateTable.ErrorCode, (string?)missing["errorCode"]);
        Assert.Empty(driver.LogsOf("aws.failed"));
    }

    [Fact]
    public async Task MissingStateTable_FailsAsNotConfigured_WhichNoPathReadsAsPossiblySent()
    {
        var e = await Assert.ThrowsAsync<AwsCallException>(() =>
            new MissingStateTable().PutAsync(new StateItem("k", new Dictionary<string, StateValue>()), StateCondition.Absent,
                DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(AwsFailure.NotConfigured, e.Failure);
        Assert.Equal(AwsOperations.DynamoPutItem, e.Operation);
        // A missing table means nothing was sent: the at-most-once SendCommand logic must not treat it as "maybe sent".
        Assert.False(PatchSendOutcome.MayHaveBeenSent(e));
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("ja-JP")]
    public void ErrorSpeech_ForNotConfigured_IsTheConfigurationAnswer_InEachLocale(string locale)
    {
        var driver = Driver();
        var lang = driver.Host.Dispatcher.Pipeline.Speech.For(locale);
        var e = new AwsCallException(AwsOperations.DynamoPutItem, AwsFailure.NotConfigured, MissingStateTable.ErrorCode, null, "x");

        var spoken = ErrorSpeech.ForAws(lang, e).Text;

        Assert.Equal(lang.Text("aws.stateTableNotConfigured"), spoken);
        Assert.Contains("STATE_TABLE", spoken, StringComparison.Ordinal);
        Assert.NotEqual(lang.Text("aws.invalid", ("operation", AwsOperations.DynamoPutItem)), spoken);
    }
}
