using System.Web;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Accounts;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.Aws;

/// <summary>
/// AwsServices.Scoped over loopback: STS and EC2 (and inspector2) are WireMock servers reached through the
/// AWS_ENDPOINT_URL_ overrides, so the real SDK clients, the real signer and the real credential cache run.
/// </summary>
public sealed class ScopedAwsServicesTests : IDisposable
{
    private const string HomeId = "999999999999";
    private const string PaymentsId = "111111111111";
    private const string Speaker = "0123456789abcdef0123456789abcdef";

    private readonly WireMockServer _sts = FakeAws.Server();
    private readonly WireMockServer _ec2 = FakeAws.Server();
    private readonly WireMockServer _inspector = FakeAws.Server();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    public ScopedAwsServicesTests()
    {
        _sts.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "text/xml")
            .WithBody(_ => $"""
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleResult>
                    <Credentials>
                      <AccessKeyId>ASIAMEMBERPAYMENTS</AccessKeyId>
                      <SecretAccessKey>member-secret</SecretAccessKey>
                      <SessionToken>member-session-token</SessionToken>
                      <Expiration>{(_time.GetUtcNow() + TimeSpan.FromMinutes(15)).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</Expiration>
                    </Credentials>
                    <AssumedRoleUser>
                      <AssumedRoleId>AROAEXAMPLE:speaker</AssumedRoleId>
                      <Arn>arn:aws:sts::111111111111:assumed-role/SecurityAlexaMember/speaker</Arn>
                    </AssumedRoleUser>
                  </AssumeRoleResult>
                  <ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata>
                </AssumeRoleResponse>
                """));
        _ec2.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/xml")
            .WithBody("""<DescribeTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>ec2-1</requestId><tagSet/></DescribeTagsResponse>"""));
        _inspector.Given(Request.Create().WithPath("/status/batch/get").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"accounts":[{"accountId":"111111111111","resourceState":{"ec2":{"status":"ENABLED"}}}],"failedAccounts":[]}"""));
    }

    public void Dispose()
    {
        _sts.Dispose();
        _ec2.Dispose();
        _inspector.Dispose();
    }

    private SkillConfig Config(Dictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-east-1",
            ["FUNCTION_ACCOUNT_ID"] = HomeId,
            ["MEMBER_ACCOUNTS"] = "payments=" + PaymentsId,
            ["MEMBER_EXTERNAL_ID"] = "ext-123",
            ["REGIONS"] = "eu-west-1",
            ["AWS_ENDPOINT_URL_STS"] = _sts.Urls[0],
            ["AWS_ENDPOINT_URL_EC2"] = _ec2.Urls[0],
            ["AWS_ENDPOINT_URL_INSPECTOR2"] = _inspector.Urls[0],
        };
        foreach (var (k, v) in extra ?? []) env[k] = v;
        return SkillConfig.FromEnvironment(env);
    }

    private static readonly SecurityAlexa.State.MissingStateTable HomeState = new();

    private static SkillServices Home() => new() { State = HomeState, WorkQueueUrl = "https://sqs.example/home" };

    private ScopedServices Scoped(SkillConfig config, SkillServices home) =>
        AwsServices.Scoped(config, home, _time, FakeAws.Credentials, FakeAws.NoDelay);

    private static string Auth(WireMock.Logging.ILogEntry entry) => FakeAws.Header(entry, "Authorization") ?? "";

    [Fact]
    public async Task MemberScope_AssumesTheRoleThroughTheStsOverride_AndSignsEc2WithTheMemberSessionInTheScopesRegion()
    {
        var config = Config();
        var settings = AccountSettings.From(config);
        var services = Scoped(config, Home())(settings.Scope(settings.Find("payments")!, "eu-west-1"), Speaker);

        await services.Instances!.ListInstanceTagsAsync(null, CancellationToken.None);

        // The SDK may retry an attempt on its own; every attempt is the same AssumeRole.
        var assume = Assert.Single(_sts.LogEntries.DistinctBy(e => e.RequestMessage.Body));
        var form = HttpUtility.ParseQueryString(assume.RequestMessage.Body!);
        Assert.Equal("AssumeRole", form["Action"]);
        Assert.Equal("arn:aws:iam::111111111111:role/SecurityAlexaMember", form["RoleArn"]);
        Assert.Equal("ext-123", form["ExternalId"]);
        Assert.Equal("speaker-" + Speaker, form["RoleSessionName"]);
        Assert.Equal("speaker-" + Speaker, form["SourceIdentity"]);
        // STS is asked with the function's own credentials, in the function's region.
        Assert.Matches("Credential=" + FakeAws.AccessKey + "/[0-9]{8}/us-east-1/sts/aws4_request", Auth(assume));

        var call = _ec2.LogEntries[^1];
        Assert.Matches("Credential=ASIAMEMBERPAYMENTS/[0-9]{8}/eu-west-1/ec2/aws4_request", Auth(call));
        Assert.Equal("member-session-token", FakeAws.Header(call, "X-Amz-Security-Token"));
    }

    [Fact]
    public async Task MemberScope_SignsTheClientsWithoutAnSdk_WithTheSameSession()
    {
        var config = Config();
        var settings = AccountSettings.From(config);
        var services = Scoped(config, Home())(settings.Scope(settings.Find("payments")!, "us-east-1"), Speaker);

        var status = await services.Scanner!.GetStatusAsync(CancellationToken.None);

        Assert.Equal(PaymentsId, status.AccountId);
        var call = _inspector.LogEntries[^1];
        Assert.Matches("Credential=ASIAMEMBERPAYMENTS/[0-9]{8}/us-east-1/inspector2/aws4_request", Auth(call));
        Assert.Equal("member-session-token", FakeAws.Header(call, "X-Amz-Security-Token"));
        Assert.NotEmpty(_sts.LogEntries);
    }

    [Fact]
    public async Task MemberScope_ReusesTheSessionAcrossCallsAndPorts_AndAssumesAgainAfterItExpires()
    {
        var config = Config();
        var settings = AccountSettings.From(config);
        var scoped = Scoped(config, Home());
        var scope = settings.Scope(settings.Find("payments")!, "eu-west-1");

        await scoped(scope, Speaker).Instances!.ListInstanceTagsAsync(null, CancellationToken.None);
        await scoped(scope, Speaker).Instances!.ListInstanceTagsAsync(null, CancellationToken.None);
        var assumed = _sts.LogEntries.Count;
        await scoped(settings.Scope(settings.Find("payments")!, "us-east-1"), Speaker).Scanner!.GetStatusAsync(CancellationToken.None);
        await scoped(scope, Speaker).Instances!.ListInstanceTagsAsync(null, CancellationToken.None);
        Assert.NotEqual(0, assumed);
        Assert.Equal(assumed, _sts.LogEntries.Count);

        _time.Advance(TimeSpan.FromMinutes(16));
        await scoped(scope, Speaker).Instances!.ListInstanceTagsAsync(null, CancellationToken.None);
        Assert.True(_sts.LogEntries.Count > assumed, "expired credentials must be assumed again");
    }

    [Fact]
    public async Task MemberScope_WhenTheRoleRefuses_TheFleetCallFailsAsAccountUnreachableNamingAssumeRole()
    {
        _sts.Reset();
        _sts.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "text/xml")
            .WithBody("""
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error>
                  <RequestId>sts-2</RequestId>
                </ErrorResponse>
                """));
        var config = Config();
        var settings = AccountSettings.From(config);
        var services = Scoped(config, Home())(settings.Scope(settings.Find("payments")!, "eu-west-1"), Speaker);

        var ec2 = await Assert.ThrowsAsync<AwsCallException>(() => services.Instances!.ListInstanceTagsAsync(null, CancellationToken.None));
        var inspector = await Assert.ThrowsAsync<AwsCallException>(() => services.Scanner!.GetStatusAsync(CancellationToken.None));

        Assert.Equal("sts:AssumeRole", ec2.Operation);
        Assert.Equal(AwsFailure.AccountUnreachable, ec2.Failure);
        Assert.Equal("sts:AssumeRole", inspector.Operation);
        Assert.Equal(AwsFailure.AccountUnreachable, inspector.Failure);
        Assert.Empty(_ec2.LogEntries);
        Assert.Empty(_inspector.LogEntries);
    }

    [Fact]
    public async Task HomeScope_IsTheHomeServicesThemselves_AndNoStsCallIsMade()
    {
        var config = Config();
        var home = Home();
        var settings = AccountSettings.From(config);

        var services = Scoped(config, home)(settings.HomeScope, Speaker);

        Assert.Same(home, services);
        await Task.Yield();
        Assert.Empty(_sts.LogEntries);
    }

    [Fact]
    public async Task HomeAccountInAnotherRegion_UsesTheFunctionsCredentialsThere_AndNoStsCall()
    {
        var config = Config();
        var home = Home();
        var settings = AccountSettings.From(config);

        var services = Scoped(config, home)(settings.Scope(settings.Home, "eu-west-1"), Speaker);
        await services.Instances!.ListInstanceTagsAsync(null, CancellationToken.None);

        Assert.Empty(_sts.LogEntries);
        Assert.Matches("Credential=" + FakeAws.AccessKey + "/[0-9]{8}/eu-west-1/ec2/aws4_request", Auth(_ec2.LogEntries[^1]));
        // The skill's own ports stay the home account's in every scope.
        Assert.Same(HomeState, services.State);
        Assert.Equal("https://sqs.example/home", services.WorkQueueUrl);
    }

    [Fact]
    public void MemberScope_TicketsAreTheHomeAccountsDesk_NotAMemberSsmClient()
    {
        // OpsItems are the home account's (the member role grants no OpsCenter): a member scope's actions ticket there.
        var config = Config();
        var settings = AccountSettings.From(config);
        var desk = new SsmOpsCenter(() => throw new InvalidOperationException("not called"), "us-east-1", HomeId);
        var scoped = Scoped(config, Home() with { Tickets = desk });

        Assert.Same(desk, scoped(settings.Scope(settings.Find("payments")!, "eu-west-1"), Speaker).Tickets);
        Assert.Same(desk, scoped(settings.Scope(settings.Home, "eu-west-1"), Speaker).Tickets);
        Assert.Empty(_sts.LogEntries);
    }

    [Fact]
    public void Scoped_KeepsEachScopesPortsPerScopeAndSpeaker()
    {
        var config = Config();
        var settings = AccountSettings.From(config);
        var scoped = Scoped(config, Home());
        var payments = settings.Scope(settings.Find("payments")!, "eu-west-1");

        Assert.Same(scoped(payments, Speaker), scoped(payments, Speaker));
        Assert.NotSame(scoped(payments, Speaker), scoped(payments, "someone-else"));
        Assert.NotSame(scoped(payments, Speaker), scoped(settings.Scope(settings.Find("payments")!, "us-east-1"), Speaker));
        // In the home account the function's own role acts whoever speaks: one set of ports.
        var homeEu = settings.Scope(settings.Home, "eu-west-1");
        Assert.Same(scoped(homeEu, Speaker), scoped(homeEu, "someone-else"));
        Assert.Empty(_sts.LogEntries);
    }

    [Fact]
    public void Scoped_RefusesARegionOrAccountThatIsNotConfigured()
    {
        var config = Config();
        var scoped = Scoped(config, Home());

        Assert.Throws<ArgumentException>(() => scoped(new AccountScope("payments", PaymentsId, "ap-northeast-1", false), Speaker));
        Assert.Throws<ArgumentException>(() => scoped(new AccountScope("stranger", "333333333333", "us-east-1", false), Speaker));
    }

    [Fact]
    public async Task Sts_WithoutItsOwnOverride_FollowsAwsEndpointUrl()
    {
        var config = Config(new Dictionary<string, string> { ["AWS_ENDPOINT_URL_STS"] = "", ["AWS_ENDPOINT_URL"] = _sts.Urls[0] });
        var settings = AccountSettings.From(config);
        var services = Scoped(config, Home())(settings.Scope(settings.Find("payments")!, "eu-west-1"), null);

        await services.Instances!.ListInstanceTagsAsync(null, CancellationToken.None);

        var form = HttpUtility.ParseQueryString(_sts.LogEntries[^1].RequestMessage.Body!);
        Assert.Equal("securityalexa-system", form["SourceIdentity"]);
        Assert.NotEmpty(_ec2.LogEntries);
    }
}
