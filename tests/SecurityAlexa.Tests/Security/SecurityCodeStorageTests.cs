using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Security;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

/// <summary>
/// Issue 13 §5: the code's hash is peppered, encrypted under the stack's KMS key and decrypted only with that
/// key and the code's encryption context; a hash stored in clear is refused; every wrong code reaches the chat.
/// </summary>
public sealed class SecurityCodeStorageTests
{
    private static readonly Dictionary<string, string> CodeOn = new() { ["SECURITY_CODE"] = "mutating" };

    private static AlexaRequests Isolate(string code) =>
        HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("SecurityCode", code)).Dialog("IN_PROGRESS");

    // The stored form today's main wrote: unpeppered PBKDF2 in clear, which anyone with ssm:GetParameter can search offline.
    private static string ClearHash(string code)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, 1_000, HashAlgorithmName.SHA256, 32);
        return string.Join('$', "pbkdf2-sha256", 1_000.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    [Fact]
    public async Task HandleAsync_WhenTheRightCodeIsSaid_DecryptsTheHashUnderTheStacksKeyWithTheCodesContext()
    {
        using var h = new HostileHarness(CodeOn);

        var reply = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.StartsWith("Isolating web-1", reply.Speech);
        var decrypt = Assert.Single(h.Ssm.Kms.Decrypts);
        Assert.Equal(FakeKms.KeyArn, decrypt.KeyId);
        Assert.Equal("securityalexa:security-code", decrypt.EncryptionContext["purpose"]);
    }

    [Fact]
    public async Task HandleAsync_WhenTheParameterHoldsAHashInClear_RefusesItEvenForTheRightCode()
    {
        using var h = new HostileHarness(CodeOn);
        h.Ssm.SetSecure(HostileHarness.CodeParameter, ClearHash(HostileHarness.SecurityCode));

        var reply = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.StartsWith("A security code is required before I change anything, but none is set up", reply.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Empty(h.Ssm.Kms.Decrypts);
        Assert.Contains(h.Driver.LogsOf("security-code.not-configured"), r => (string?)r["status"] == "unencrypted");
    }

    [Fact]
    public async Task HandleAsync_WhenTheCiphertextWasMadeForAnotherPurpose_RefusesIt()
    {
        using var h = new HostileHarness(CodeOn);
        var otherPurpose = new Dictionary<string, string> { ["purpose"] = "something-else" };
        h.Ssm.SetSecure(HostileHarness.CodeParameter, h.Ssm.Kms.Encrypt(SecurityCodeHash.Create(HostileHarness.SecurityCode, HostileHarness.Pepper, 1_000), otherPurpose));

        var reply = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.StartsWith("A security code is required", reply.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Contains(h.Driver.LogsOf("security-code.not-configured"), r => (string?)r["status"] == "undecryptable");
    }

    [Fact]
    public async Task HandleAsync_WhenTheHashWasMadeWithAnotherPepper_TheRightDigitsCountAsAWrongCode()
    {
        using var h = new HostileHarness(CodeOn);
        h.Ssm.SetSecure(HostileHarness.CodeParameter, h.StoredCode(HostileHarness.SecurityCode, pepper: "not-the-functions-pepper-000"));

        var reply = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.Equal("That code isn't right. What's your four-digit security code?", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task HandleAsync_WhenNoPepperIsConfigured_RefusesWithoutReadingTheParameter()
    {
        using var h = new HostileHarness(new Dictionary<string, string>(CodeOn) { ["SECURITY_CODE_PEPPER"] = "" });

        var reply = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.StartsWith("A security code is required", reply.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Empty(h.Ssm.Kms.Decrypts);
    }

    [Fact]
    public async Task HandleAsync_TheDecryptedHashIsKeptForAMinute_ThenReadAndDecryptedAgain()
    {
        using var h = new HostileHarness(CodeOn);

        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));
        h.Driver.EndSession();
        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));
        var whileCached = h.Ssm.Kms.Decrypts.Count;
        h.Time.Advance(TimeSpan.FromSeconds(61));
        h.Driver.EndSession();
        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.Equal(1, whileCached);
        Assert.Equal(2, h.Ssm.Kms.Decrypts.Count);
    }

    [Fact]
    public async Task HandleAsync_EveryWrongCode_PostsToTheChatChannelWithoutItsDigits()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var account = SandboxAccount.CreateDefault(time);
        var env = new Dictionary<string, string>(CodeOn)
        {
            ["SECURITY_CODE_PEPPER"] = SandboxCodeHashKey.DemoPepper,
            ["ALLOWED_SPEAKERS"] = IdentityHash.Of(AlexaRequests.PersonId)!,
        };
        var driver = new SkillDriver(account.Services(), time: account.Clock, environment: env);

        await driver.SayAsync(Isolate("1357"));
        await driver.SayAsync(Isolate("2468"));
        await driver.SayAsync(Isolate("9753"));

        var posts = account.Chat.Posts;
        Assert.Equal(3, posts.Count);
        Assert.StartsWith("Wrong security code from voice ", posts[0]);
        Assert.Contains("for IsolateIntent (1 in a row). Nothing was changed.", posts[0]);
        Assert.Contains("(2 in a row)", posts[1]);
        Assert.Contains("changes are locked for that voice for 15 minutes", posts[2]);
        foreach (var digits in new[] { "1357", "2468", "9753", SandboxParameterStore.DemoSecurityCode })
            Assert.All(posts, p => Assert.DoesNotContain(digits, p));
    }

    [Fact]
    public async Task HandleAsync_TheRightCode_PostsNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var account = SandboxAccount.CreateDefault(time);
        var env = new Dictionary<string, string>(CodeOn)
        {
            ["SECURITY_CODE_PEPPER"] = SandboxCodeHashKey.DemoPepper,
            ["ALLOWED_SPEAKERS"] = IdentityHash.Of(AlexaRequests.PersonId)!,
        };
        var driver = new SkillDriver(account.Services(), time: account.Clock, environment: env);

        var reply = await driver.SayAsync(Isolate(SandboxParameterStore.DemoSecurityCode));

        Assert.StartsWith("Isolating web-1", reply.Speech);
        Assert.Empty(account.Chat.Posts);
    }
}
