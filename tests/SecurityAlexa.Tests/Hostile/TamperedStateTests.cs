using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// Session attributes edited by a client. The pending action is signed with the session id; any edit,
/// re-signing with a guessed key, or transplant to another session must leave the targets as read back.
/// </summary>
public sealed class TamperedStateTests
{
    private static readonly string[] Everything = HostileHarness.Fleet.Select(f => f.Id).ToArray();

    private static JsonObject Data(JsonObject attributes) => JsonNode.Parse((string)attributes["securityAlexa"]!["data"]!)!.AsObject();

    private static JsonObject WithData(JsonObject attributes, JsonObject data, string? signature = null)
    {
        var copy = attributes.DeepClone().AsObject();
        copy["securityAlexa"]!["data"] = data.ToJsonString();
        if (signature is not null) copy["securityAlexa"]!["sig"] = signature;
        return copy;
    }

    private static string SignWith(string key, string sessionId, string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(sessionId + "\n" + data)));

    [Fact]
    public async Task HandleAsync_WhenTheTargetsAreWidenedWithoutASignature_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var data = Data(attributes);
        data["pending"]!["ids"] = new JsonArray(Everything.Select(id => (JsonNode)id).ToArray());

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", WithData(attributes, data)));

        h.AssertSafe(reply);
        Assert.StartsWith("I couldn't trust what this conversation remembered", reply.Speech);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("session-state.rejected"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("test-session-signing-key")]
    [InlineData("securityalexa")]
    public async Task HandleAsync_WhenTheWidenedStateIsReSignedWithAGuessedKey_ActsOnNothing(string guessedKey)
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("PatchIntent", "web-1");
        var data = Data(attributes);
        data["pending"]!["ids"] = new JsonArray(Everything.Select(id => (JsonNode)id).ToArray());
        var text = data.ToJsonString();

        var forged = WithData(attributes, data, SignWith(guessedKey, "amzn1.echo-api.session.test-session", text));
        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("PatchIntent", "web-1", forged));

        h.AssertSafe(reply);
    }

    [Fact]
    public async Task HandleAsync_WhenTheCountToSayBackIsLowered_ActsOnNothing()
    {
        using var h = new HostileHarness();
        await h.Driver.SayAsync(HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments")));
        await h.Driver.SayAsync(HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments"), ("Selection", "all of them")).Dialog("IN_PROGRESS"));
        var data = Data(h.Driver.Attributes!);
        Assert.Equal(5, (int?)data["pending"]!["sayCount"]);
        data["pending"]!["sayCount"] = 1;

        var reply = await h.Driver.SendAsync(HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments"), ("Selection", "all of them"), ("ConfirmCount", "1"))
            .Dialog("IN_PROGRESS").InSession(WithData(h.Driver.Attributes!, data)));

        h.AssertSafe(reply);
    }

    [Fact]
    public async Task HandleAsync_WhenTheSignatureIsRemoved_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        attributes["securityAlexa"]!.AsObject().Remove("sig");

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes)));
    }

    [Fact]
    public async Task HandleAsync_WhenTheVersionIsChanged_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        attributes["securityAlexa"]!["v"] = 2;

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes)));
    }

    [Fact]
    public async Task HandleAsync_WhenAnUnsignedPendingActionIsAddedBesideTheSignedState_IgnoresIt()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED").InSession(new JsonObject
        {
            ["pending"] = new JsonObject { ["kind"] = "isolate", ["intent"] = "IsolateIntent", ["ids"] = new JsonArray(Everything.Select(id => (JsonNode)id).ToArray()) },
        });

        h.AssertSafe(await h.Driver.SendAsync(request));
    }

    [Fact]
    public async Task HandleAsync_WhenTheDataIsNotJson_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        attributes["securityAlexa"]!["data"] = "{\"pending\": [";

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes)));
    }

    [Fact]
    public async Task HandleAsync_WhenAVerifiedCodeIsForgedIntoTheState_StillAsksForTheCode()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["SECURITY_CODE"] = "mutating" });
        var data = new JsonObject
        {
            ["security"] = new JsonObject { ["who"] = SecurityAlexa.Security.IdentityHash.Of(AlexaRequests.PersonId), ["until"] = "2099-01-01T00:00:00Z" },
        };
        var forged = new JsonObject { ["securityAlexa"] = new JsonObject { ["v"] = 1, ["data"] = data.ToJsonString(), ["sig"] = SignWith("guess", "amzn1.echo-api.session.test-session", data.ToJsonString()) } };

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).InSession(forged));

        h.AssertSafe(reply);
        Assert.Contains("what's your four-digit security code?", reply.Speech);
    }
}
