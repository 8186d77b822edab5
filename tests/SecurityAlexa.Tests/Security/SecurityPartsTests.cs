using System.Net;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Security;

public sealed class SecuritySettingsTests
{
    private static SecuritySettings Read(Dictionary<string, string> env, bool lambda = true) =>
        SecuritySettings.From(SkillConfig.FromEnvironment(env, requireSkillId: lambda));

    [Fact]
    public void From_WhenNothingIsSet_UsesTheStrictDefaults()
    {
        var settings = Read([]);

        Assert.Empty(settings.AllowedSpeakers);
        // Issue 13 §6: in Lambda no account list serves no account (fail closed), as no SKILL_ID refuses every request.
        Assert.NotNull(settings.AllowedUsers);
        Assert.Empty(settings.AllowedUsers!);
        Assert.False(settings.AllowAnySpeaker);
        Assert.Equal(SecurityCodeMode.Off, settings.CodeMode);
        Assert.Equal(3, settings.ConfirmCountAbove);
        Assert.Equal(RequestAgeCheck.All, settings.AgeCheck);
        Assert.Equal(TimeSpan.FromSeconds(150), settings.MaxRequestAge);
        Assert.Equal(InstanceIdSpeech.Ending, settings.SpeakInstanceIds);
    }

    [Theory]
    [InlineData("off", SecurityCodeMode.Off)]
    [InlineData("OFF", SecurityCodeMode.Off)]
    [InlineData("mutating", SecurityCodeMode.Mutating)]
    [InlineData("on", SecurityCodeMode.Mutating)]
    [InlineData("mutatign", SecurityCodeMode.Mutating)]
    public void From_ReadsSecurityCodeFailingClosedOnTypos(string value, SecurityCodeMode expected) =>
        Assert.Equal(expected, Read(new() { ["SECURITY_CODE"] = value }).CodeMode);

    [Fact]
    public void From_ReadsHashListsForgivingSeparatorsAndCase()
    {
        var settings = Read(new() { ["ALLOWED_SPEAKERS"] = " AB12 , cd34;ef56\n", ["ALLOWED_USERS"] = "99" });

        Assert.Equal(["ab12", "cd34", "ef56"], settings.AllowedSpeakers.Order());
        Assert.Equal(["99"], settings.AllowedUsers!);
    }

    [Fact]
    public void From_InLambda_IgnoresLocalRelaxations()
    {
        var env = new Dictionary<string, string> { ["ALLOW_ANY_SPEAKER"] = "true", ["REQUEST_AGE_CHECK"] = "off" };

        var lambda = Read(env);
        var local = Read(env, lambda: false);

        Assert.False(lambda.AllowAnySpeaker);
        Assert.Equal(RequestAgeCheck.Mutating, lambda.AgeCheck);
        Assert.True(local.AllowAnySpeaker);
        Assert.Equal(RequestAgeCheck.Off, local.AgeCheck);
    }

    [Fact]
    public void From_ClampsTheAgeToleranceToAlexas()
    {
        Assert.Equal(TimeSpan.FromSeconds(150), Read(new() { ["REQUEST_MAX_AGE_SECONDS"] = "3600" }).MaxRequestAge);
        Assert.Equal(TimeSpan.FromSeconds(60), Read(new() { ["REQUEST_MAX_AGE_SECONDS"] = "60" }).MaxRequestAge);
    }
}

public sealed class SecurityCodeHashTests
{
    private const string Pepper = "pepper-of-at-least-sixteen-chars";

    [Fact]
    public void Verify_WhenTheCodeMatches_ReturnsTrueAndOtherwiseFalse()
    {
        var stored = SecurityCodeHash.Create("4821", Pepper, 1_000);

        Assert.True(SecurityCodeHash.Verify("4821", stored, Pepper));
        Assert.False(SecurityCodeHash.Verify("4820", stored, Pepper));
        Assert.False(SecurityCodeHash.Verify("04821", stored, Pepper));
    }

    [Fact]
    public void Verify_WithAnotherPepper_MatchesNothing_SoTheHashAloneCannotBeSearched()
    {
        var stored = SecurityCodeHash.Create("4821", Pepper, 1_000);

        // Whoever has the hash but not the pepper finds no code among all 10,000.
        Assert.DoesNotContain(Enumerable.Range(0, 10_000).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)),
            c => SecurityCodeHash.Verify(c, stored, "another-pepper-sixteen-chars"));
    }

    [Fact]
    public void Create_UsesPeppedPbkdf2WithAFreshSaltEachTime()
    {
        var a = SecurityCodeHash.Create("4821", Pepper, 1_000);
        var b = SecurityCodeHash.Create("4821", Pepper, 1_000);

        Assert.StartsWith("pbkdf2-sha256-pepper$1000$", a);
        Assert.NotEqual(a, b);
        Assert.DoesNotContain("4821", a);
        Assert.DoesNotContain(Pepper, a);
        Assert.StartsWith("pbkdf2-sha256-pepper$210000$", SecurityCodeHash.Create("4821", Pepper));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short-pepper")]
    public void Create_WhenThePepperIsShort_Throws(string pepper) =>
        Assert.Throws<ArgumentException>(() => SecurityCodeHash.Create("4821", pepper, 1_000));

    [Theory]
    [InlineData("4821")]
    [InlineData("sha256$abc")]
    [InlineData("pbkdf2-sha256-pepper$10$c2FsdHNhbHQ=$AAAA")]
    [InlineData("pbkdf2-sha256-pepper$999999999$c2FsdHNhbHQ=$AAAA")]
    [InlineData("pbkdf2-sha256-pepper$1000$not base64$AAAA")]
    [InlineData("pbkdf2-sha256$1000$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("")]
    public void Verify_WhenTheStoredValueIsMalformed_MatchesNothing(string stored)
    {
        Assert.False(SecurityCodeHash.IsValidStoredForm(stored));
        Assert.False(SecurityCodeHash.Verify("4821", stored, Pepper));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("12a4")]
    [InlineData("١٢٣٤")]
    public void Create_WhenTheCodeIsNotFourAsciiDigits_Throws(string code) =>
        Assert.Throws<ArgumentException>(() => SecurityCodeHash.Create(code, Pepper, 1_000));
}

public sealed class SpokenNumberTests
{
    [Theory]
    [InlineData("3", 3)]
    [InlineData("three", 3)]
    [InlineData("Twenty five", 25)]
    [InlineData("twenty-five", 25)]
    [InlineData("one hundred and five", 105)]
    [InlineData("a hundred", 100)]
    [InlineData("two thousand", 2000)]
    [InlineData("10000", 10_000)]
    [InlineData("ten thousand", 10_000)]
    [InlineData("50000", 50_000)]
    public void TryParseCount_ReadsDigitsAndWords(string text, int expected)
    {
        Assert.True(SpokenNumber.TryParseCount(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("all")]
    [InlineData("3; DROP")]
    [InlineData("1e3")]
    [InlineData("99999")]
    [InlineData("50001")]
    [InlineData("five hundred thousand")]
    public void TryParseCount_RefusesAnythingElse(string? text) => Assert.False(SpokenNumber.TryParseCount(text, out _));

    [Theory]
    [InlineData("1234", "1234")]
    [InlineData("1 2 3 4", "1234")]
    [InlineData("one two three four", "1234")]
    [InlineData("oh eight 8 six", "0886")]
    [InlineData("123", null)]
    [InlineData("twelve thirty four", null)]
    [InlineData("12345", null)]
    public void FourDigits_ReadsACodeHoweverItIsSaid(string text, string? expected) => Assert.Equal(expected, SpokenNumber.FourDigits(text));
}

public sealed class SsmParameterStoreTests
{
    private readonly Mock<IAmazonSimpleSystemsManagement> _ssm = new(MockBehavior.Strict);
    private readonly SsmParameterStore _store;

    public SsmParameterStoreTests() => _store = new SsmParameterStore(() => _ssm.Object);

    [Fact]
    public async Task GetAsync_AsksForDecryptionWhenTold()
    {
        _ssm.Setup(s => s.GetParameterAsync(It.Is<GetParameterRequest>(r => r.Name == "/p" && r.WithDecryption == true), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetParameterResponse { Parameter = new Parameter { Value = "v" } });

        Assert.Equal("v", await _store.GetAsync("/p", decrypt: true, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_WhenTheParameterIsMissing_ReturnsNull()
    {
        _ssm.Setup(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ParameterNotFoundException("no"));

        Assert.Null(await _store.GetAsync("/p", decrypt: false, CancellationToken.None));
    }

    [Fact]
    public void AwsServices_Create_AlwaysProvidesTheParameterStore()
    {
        var services = AwsServices.Create(SkillConfig.FromEnvironment(new Dictionary<string, string>()));

        Assert.IsType<SsmParameterStore>(services.Parameters);
    }

    [Fact]
    public void AwsServices_Create_ProvidesTheStateTableNamedBySTATE_TABLE()
    {
        var without = AwsServices.Create(SkillConfig.FromEnvironment(new Dictionary<string, string>()));
        var with = AwsServices.Create(SkillConfig.FromEnvironment(new Dictionary<string, string> { ["STATE_TABLE"] = "team-state" }));

        // Without STATE_TABLE changes fail closed: no fallback to one container's memory.
        Assert.IsType<SecurityAlexa.State.MissingStateTable>(without.State);
        Assert.Equal("team-state", Assert.IsType<DynamoStateTable>(with.State).TableName);
    }

    [Fact]
    public void AwsOperations_All_ListsTheSecurityLayersCalls()
    {
        Assert.Contains("ssm:GetParameter", AwsOperations.All);
        Assert.Contains("dynamodb:PutItem", AwsOperations.All);
        Assert.Contains("dynamodb:UpdateItem", AwsOperations.All);
        // Nothing writes Parameter Store any more: claims and lockouts live in the state table.
        Assert.DoesNotContain("ssm:PutParameter", AwsOperations.All);
        Assert.DoesNotContain("ssm:DeleteParameter", AwsOperations.All);
    }
}
