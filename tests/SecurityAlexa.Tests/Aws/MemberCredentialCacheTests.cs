using System.Net;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Aws;

public sealed class MemberCredentialCacheTests
{
    private const string Payments = "111111111111";
    private const string Speaker = "0123456789abcdef0123456789abcdef";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    private readonly Mock<IAmazonSecurityTokenService> _sts = new(MockBehavior.Strict);
    private readonly List<AssumeRoleRequest> _requests = [];

    private MemberCredentialCache Cache(string region = "eu-west-1") =>
        new(() => _sts.Object, "SecurityAlexaMember", "ext-123", region, _time);

    // Each AssumeRole answers fresh keys that expire 15 minutes after the fake clock's now.
    private void AnswerWithFreshKeys()
    {
        _sts.Setup(s => s.AssumeRoleAsync(It.IsAny<AssumeRoleRequest>(), It.IsAny<CancellationToken>()))
            .Callback<AssumeRoleRequest, CancellationToken>((r, _) => _requests.Add(r))
            .ReturnsAsync(() => new AssumeRoleResponse
            {
                Credentials = new Credentials
                {
                    AccessKeyId = "ASIAMEMBER" + _requests.Count,
                    SecretAccessKey = "secret",
                    SessionToken = "token",
                    Expiration = (_time.GetUtcNow() + TimeSpan.FromMinutes(15)).UtcDateTime,
                },
            });
    }

    private void Refuse(string code, HttpStatusCode status) =>
        _sts.Setup(s => s.AssumeRoleAsync(It.IsAny<AssumeRoleRequest>(), It.IsAny<CancellationToken>()))
            .Callback<AssumeRoleRequest, CancellationToken>((r, _) => _requests.Add(r))
            .ThrowsAsync(new AmazonSecurityTokenServiceException("refused") { ErrorCode = code, StatusCode = status });

    [Fact]
    public async Task GetAsync_AssumesTheMemberRoleWithTheExternalIdAndTheSpeakerAsSessionNameAndSourceIdentity()
    {
        AnswerWithFreshKeys();
        var cache = Cache();

        var keys = await cache.GetAsync(Payments, MemberCredentialCache.Identity(Speaker), CancellationToken.None);

        var request = Assert.Single(_requests);
        Assert.Equal("arn:aws:iam::111111111111:role/SecurityAlexaMember", request.RoleArn);
        Assert.Equal("ext-123", request.ExternalId);
        Assert.Equal("speaker-" + Speaker, request.RoleSessionName);
        Assert.Equal("speaker-" + Speaker, request.SourceIdentity);
        Assert.Equal(900, request.DurationSeconds);
        Assert.Equal("ASIAMEMBER1", keys.AccessKey);
        Assert.Equal("token", keys.Token);
    }

    [Fact]
    public async Task GetAsync_WhenAssumeRoleAnswersWithoutCredentials_IsAccountUnreachable_AndTriesAgainNextTime()
    {
        // The SDK leaves Credentials null when the body has none: no keys must be cached or used.
        _sts.Setup(s => s.AssumeRoleAsync(It.IsAny<AssumeRoleRequest>(), It.IsAny<CancellationToken>()))
            .Callback<AssumeRoleRequest, CancellationToken>((r, _) => _requests.Add(r))
            .ReturnsAsync(new AssumeRoleResponse());
        var cache = Cache();
        var identity = MemberCredentialCache.Identity(Speaker);

        var first = await Assert.ThrowsAsync<AwsCallException>(() => cache.GetAsync(Payments, identity, CancellationToken.None));
        await Assert.ThrowsAsync<AwsCallException>(() => cache.GetAsync(Payments, identity, CancellationToken.None));

        Assert.Equal(AwsFailure.AccountUnreachable, first.Failure);
        Assert.Equal(AwsOperations.StsAssumeRole, first.Operation);
        Assert.Equal(2, _requests.Count);
    }

    [Fact]
    public async Task For_WhenNoOneSpoke_UsesTheSystemIdentity()
    {
        AnswerWithFreshKeys();

        await Cache().For(Payments, null).GetCredentialsAsync();

        var request = Assert.Single(_requests);
        Assert.Equal("securityalexa-system", request.RoleSessionName);
        Assert.Equal("securityalexa-system", request.SourceIdentity);
    }

    [Theory]
    [InlineData("aws:root", "speaker-aws_root")]
    [InlineData("a b/c", "speaker-a_b_c")]
    [InlineData("  ", "securityalexa-system")]
    public void Identity_KeepsOnlyTheCharactersStsAllows(string hash, string expected) =>
        Assert.Equal(expected, MemberCredentialCache.Identity(hash));

    [Fact]
    public void Identity_IsAtMost64Characters_AndNeverStartsWithAws()
    {
        var identity = MemberCredentialCache.Identity(new string('f', 100));

        Assert.Equal(64, identity.Length);
        Assert.Matches("^[A-Za-z0-9_+=,.@-]{2,64}$", identity);
        Assert.False(identity.StartsWith("aws:", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("cn-north-1", "arn:aws-cn:iam::111111111111:role/SecurityAlexaMember")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:iam::111111111111:role/SecurityAlexaMember")]
    [InlineData("us-east-1", "arn:aws:iam::111111111111:role/SecurityAlexaMember")]
    public void RoleArn_IsInTheHomeRegionsPartition(string region, string expected) =>
        Assert.Equal(expected, Cache(region).RoleArn(Payments));

    [Fact]
    public async Task GetAsync_BeforeExpiry_ReusesTheSession_AndAfterExpiry_AssumesAgain()
    {
        AnswerWithFreshKeys();
        var cache = Cache();
        var identity = MemberCredentialCache.Identity(Speaker);

        var first = await cache.GetAsync(Payments, identity, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(12));
        var reused = await cache.GetAsync(Payments, identity, CancellationToken.None);
        Assert.Single(_requests);
        Assert.Equal(first.AccessKey, reused.AccessKey);

        // Within the refresh margin of the 15-minute expiry: assumed afresh before the old keys die.
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var refreshed = await cache.GetAsync(Payments, identity, CancellationToken.None);
        Assert.Equal(2, _requests.Count);
        Assert.NotEqual(first.AccessKey, refreshed.AccessKey);

        _time.Advance(TimeSpan.FromHours(1));
        await cache.GetAsync(Payments, identity, CancellationToken.None);
        Assert.Equal(3, _requests.Count);
    }

    [Fact]
    public async Task GetAsync_KeepsOneSessionPerAccountAndSpeaker()
    {
        AnswerWithFreshKeys();
        var cache = Cache();

        await cache.GetAsync(Payments, MemberCredentialCache.Identity(Speaker), CancellationToken.None);
        await cache.GetAsync(Payments, MemberCredentialCache.Identity("another"), CancellationToken.None);
        await cache.GetAsync("222222222222", MemberCredentialCache.Identity(Speaker), CancellationToken.None);
        await cache.GetAsync(Payments, MemberCredentialCache.Identity(Speaker), CancellationToken.None);

        Assert.Equal(3, _requests.Count);
    }

    [Fact]
    public async Task GetAsync_WhenManyCallersAskAtOnce_AssumesOnce()
    {
        AnswerWithFreshKeys();
        var cache = Cache();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetAsync(Payments, "speaker-x", CancellationToken.None)));

        Assert.Single(_requests);
    }

    [Fact]
    public async Task GetAsync_WhenTheRoleRefuses_IsAccountUnreachableNamingAssumeRole()
    {
        Refuse("AccessDenied", HttpStatusCode.Forbidden);

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Cache().GetAsync(Payments, "speaker-x", CancellationToken.None));

        Assert.Equal("sts:AssumeRole", e.Operation);
        Assert.Equal(AwsFailure.AccountUnreachable, e.Failure);
        Assert.Equal("AccessDenied", e.ErrorCode);
        Assert.Contains("arn:aws:iam::111111111111:role/SecurityAlexaMember", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_WhenARefusalIsOver_AssumesAgainRatherThanRememberTheFailure()
    {
        Refuse("AccessDenied", HttpStatusCode.Forbidden);
        var cache = Cache();
        await Assert.ThrowsAsync<AwsCallException>(() => cache.GetAsync(Payments, "speaker-x", CancellationToken.None));

        AnswerWithFreshKeys();
        var keys = await cache.GetAsync(Payments, "speaker-x", CancellationToken.None);

        Assert.Equal(2, _requests.Count);
        Assert.StartsWith("ASIAMEMBER", keys.AccessKey, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RegionDisabledException", HttpStatusCode.Forbidden, "RegionNotEnabled")]
    [InlineData("Throttling", HttpStatusCode.BadRequest, "Throttled")]
    [InlineData("InvalidClientTokenId", HttpStatusCode.Forbidden, "AccountUnreachable")]
    public async Task GetAsync_ClassifiesStsFailures(string code, HttpStatusCode status, string expected)
    {
        Refuse(code, status);

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Cache().GetAsync(Payments, "speaker-x", CancellationToken.None));

        Assert.Equal("sts:AssumeRole", e.Operation);
        Assert.Equal(expected, e.Failure.ToString());
    }

    [Theory]
    [InlineData("OptInRequired", "RegionNotEnabled")]
    [InlineData("RegionDisabledException", "RegionNotEnabled")]
    public void Classify_NamesARegionThatIsNotEnabled(string code, string expected) =>
        Assert.Equal(expected, AwsCallException.Classify(code, HttpStatusCode.Unauthorized).ToString());
}
