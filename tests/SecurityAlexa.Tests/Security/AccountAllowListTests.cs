using SecurityAlexa.Local;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Shipping;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

/// <summary>Issue 13 §6: in Lambda an empty ALLOWED_USERS serves no account, and every account refusal shows the hash to enrol.</summary>
public sealed class AccountAllowListTests
{
    private static readonly Dictionary<string, string> NoAccounts = new() { ["ALLOWED_USERS"] = "" };

    [Fact]
    public async Task HandleAsync_InLambdaWithNoAllowedUsers_RefusesEveryRequestBeforeAnyAwsCall()
    {
        using var h = new HostileHarness(NoAccounts);

        var replies = new[]
        {
            await h.Driver.SendAsync(AlexaRequests.Launch()),
            await h.Driver.SendAsync(HostileHarness.Say("AMAZON.HelpIntent")),
            await h.Driver.SendAsync(HostileHarness.Say("IsolationStatusIntent")),
            await h.Driver.SendAsync(HostileHarness.Say("ScanResultsIntent", ("TagKey", "environment"), ("TagValue", "prod"))),
            await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"))),
        };

        Assert.All(replies, r => Assert.Equal("This skill isn't set up for any Amazon account yet, so I can't help with that. "
            + "The card in the Alexa app shows what your administrator needs to add.", r.Speech));
        Assert.All(replies, r => Assert.True(r.EndsSession));
        Assert.Empty(h.Ec2.Invocations);
        Assert.Empty(h.Http.Calls);
        Assert.Equal(replies.Length, h.Driver.LogsOf("user.no-allow-list").Count);
    }

    [Fact]
    public async Task HandleAsync_InLambdaWithNoAllowedUsers_TheCardShowsTheAccountHashToEnrol()
    {
        var salted = new Dictionary<string, string>(NoAccounts) { ["ID_HASH_SALT"] = "team-salt" };
        using var h = new HostileHarness(salted);

        var reply = await h.Driver.SendAsync(AlexaRequests.Launch());

        var hash = IdentityHash.Of(AlexaRequests.UserId, "team-salt")!;
        Assert.Equal($"This Alexa account's id for the ALLOWED_USERS list is {hash}. Give it to your administrator if this account should use the skill.",
            reply.CardText);
        Assert.DoesNotContain(hash, reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain(AlexaRequests.UserId, reply.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheAccountIsNotOnTheList_TheRefusalCardShowsItsHash()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_USERS"] = IdentityHash.Of("amzn1.ask.account.OTHER")! });

        var reply = await h.Driver.SendAsync(HostileHarness.Say("AMAZON.HelpIntent"));

        Assert.Equal("Sorry, this skill isn't set up for your Amazon account, so I can't help with that.", reply.Speech);
        Assert.Contains(IdentityHash.Of(AlexaRequests.UserId)!, reply.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheListHasTheAccount_ServesIt()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_USERS"] = IdentityHash.Of(AlexaRequests.UserId)! });

        var reply = await h.Driver.SendAsync(AlexaRequests.Launch());

        Assert.StartsWith("Security assistant here.", reply.Speech);
    }

    [Fact]
    public void From_OutsideLambdaWithNoAllowedUsers_ServesEveryAccount()
    {
        var local = SecuritySettings.From(SkillConfig.FromEnvironment(new Dictionary<string, string>(), requireSkillId: false));
        var lambda = SecuritySettings.From(SkillConfig.FromEnvironment(new Dictionary<string, string>(), requireSkillId: true));

        Assert.Null(local.AllowedUsers);
        Assert.Equal(0, lambda.AllowedUsers?.Count);
    }

    [Fact]
    public async Task LocalRunner_WithNoAllowedUsersAndTheSandbox_StillAnswersTheSampleLaunch()
    {
        var env = new Dictionary<string, string>(SkillConfig.ProcessEnvironment(), StringComparer.Ordinal);
        env.Remove("ALLOWED_USERS");
        var stdout = new StringWriter();

        var exit = await LocalRunner.RunAsync(["invoke", RepoFiles.Path("events", "launch.json"), "--sandbox"], TextReader.Null, stdout, TextWriter.Null,
            env, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("Security assistant here.", stdout.ToString(), StringComparison.Ordinal);
    }
}
