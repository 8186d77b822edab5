using System.Text.Json.Nodes;
using SecurityAlexa.Security;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

/// <summary>
/// Issue 13 §6: CanFulfillIntentRequest goes through the account check every other request gets. An account the skill does
/// not serve hears NO for every intent, so it cannot probe the skill; nothing is read or changed either way.
/// </summary>
public sealed class CanFulfillGuardTests
{
    private static AlexaRequests CanFulfill(string intent) => AlexaRequests.Raw(new JsonObject
    {
        ["type"] = "CanFulfillIntentRequest",
        ["intent"] = new JsonObject
        {
            ["name"] = intent,
            ["slots"] = new JsonObject { ["InstanceName"] = new JsonObject { ["name"] = "InstanceName", ["value"] = "web-1" } },
        },
    });

    [Fact]
    public async Task CanFulfill_FromAnAccountNotOnTheList_AnswersNoAndLogsTheRefusal()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_USERS"] = IdentityHash.Of("amzn1.ask.account.OTHER")! });

        var reply = (await h.Driver.SendAsync(CanFulfill("IsolateIntent"))).AssertWellFormed();

        Assert.Equal("NO", (string?)reply.Response!["canFulfillIntent"]!["canFulfill"]);
        Assert.Null(reply.Response["canFulfillIntent"]!["slots"]);
        Assert.Null(reply.Response["outputSpeech"]);
        Assert.Null(reply.Response["card"]);
        Assert.Empty(h.Ec2.Invocations);
        Assert.Empty(h.Http.Calls);
        Assert.Single(h.Driver.LogsOf("user.refused"));
    }

    [Fact]
    public async Task CanFulfill_InLambdaWithNoAllowedUsers_AnswersNo()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_USERS"] = "" });

        var reply = (await h.Driver.SendAsync(CanFulfill("AMAZON.HelpIntent"))).AssertWellFormed();

        Assert.Equal("NO", (string?)reply.Response!["canFulfillIntent"]!["canFulfill"]);
        Assert.Null(reply.Response["outputSpeech"]);
        Assert.Empty(h.Ec2.Invocations);
        Assert.Single(h.Driver.LogsOf("user.no-allow-list"));
    }

    [Fact]
    public async Task CanFulfill_FromAnAllowedAccount_AnswersYesAndActsOnNothing()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_USERS"] = IdentityHash.Of(AlexaRequests.UserId)! });

        var reply = (await h.Driver.SendAsync(CanFulfill("IsolateIntent"))).AssertWellFormed();

        Assert.Equal("YES", (string?)reply.Response!["canFulfillIntent"]!["canFulfill"]);
        Assert.Null(reply.Response["outputSpeech"]);
        Assert.Empty(h.MutatingCalls);
    }
}
