using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Security;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Sandbox;

/// <summary>The sandbox's state table: claims and lockouts behave as on DynamoDB, shared by every host over the account.</summary>
public sealed class SandboxStateTests
{
    private static readonly Dictionary<string, string> CodeOn = new()
    {
        ["SECURITY_CODE"] = "mutating",
        ["SECURITY_CODE_PEPPER"] = SandboxCodeHashKey.DemoPepper,
        ["ALLOWED_SPEAKERS"] = IdentityHash.Of(AlexaRequests.PersonId)!,
    };

    private static AlexaRequests Isolate(string code) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("SecurityCode", code)).Dialog("IN_PROGRESS");

    [Fact]
    public async Task Sandbox_WrongCodesOnTwoHostsOverOneAccount_LockTheSpeakerInBothUntilTheLockExpires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var account = SandboxAccount.CreateDefault(time);
        var a = new SkillDriver(account.Services(), time: account.Clock, environment: CodeOn);
        var b = new SkillDriver(account.Services(), time: account.Clock, environment: CodeOn);

        await a.SayAsync(Isolate("1111"));
        await b.SayAsync(Isolate("2222"));
        var third = await a.SayAsync(Isolate("3333"));
        var locked = await b.SayAsync(Isolate(SandboxParameterStore.DemoSecurityCode));
        time.Advance(TimeSpan.FromMinutes(16));
        b.EndSession();
        var readBack = await b.SayAsync(Isolate(SandboxParameterStore.DemoSecurityCode));

        Assert.StartsWith("That code isn't right either, so I've locked changes for your voice for 15 minutes.", third.Speech);
        Assert.StartsWith("Changes are locked for your voice", locked.Speech);
        Assert.StartsWith("Isolating web-1", readBack.Speech);
        Assert.Contains(account.State.Items, i => i.Key == StateKeys.CodeAttempts(IdentityHash.Of(AlexaRequests.PersonId)!) && i.Number("level") == 1);
    }

    [Fact]
    public async Task Sandbox_TheSameMutatingRequestOnTwoHosts_IsClaimedOnceInTheAccountsTable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var account = SandboxAccount.CreateDefault(time);
        var env = new Dictionary<string, string> { ["ALLOWED_SPEAKERS"] = IdentityHash.Of(AlexaRequests.PersonId)! };
        var a = new SkillDriver(account.Services(), time: account.Clock, environment: env);
        var b = new SkillDriver(account.Services(), time: account.Clock, environment: env);
        var request = AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"));

        var first = await a.SendAsync(request);
        var second = await b.SendAsync(request);

        Assert.StartsWith("Isolating web-1", first.Speech);
        Assert.StartsWith("I've already handled that exact request", second.Speech);
        Assert.Single(account.State.Items, i => i.Key == StateKeys.Claim("requests", request.RequestId));
    }
}
