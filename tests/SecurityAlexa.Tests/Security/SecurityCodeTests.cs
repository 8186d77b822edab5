using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityAlexa.Security;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

public sealed partial class SecurityCodeTests
{
    private static readonly Dictionary<string, string> CodeOn = new() { ["SECURITY_CODE"] = "mutating" };

    private static AlexaRequests Isolate(string? code = null)
    {
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("SecurityCode", code));
        if (code is not null) request.Dialog("IN_PROGRESS");
        return request;
    }

    [Fact]
    public async Task HandleAsync_WhenCodeIsRequired_AsksForItOnTheSameIntentBeforeAnyEc2Call()
    {
        using var h = new HostileHarness(CodeOn);

        var reply = await h.Driver.SayAsync(Isolate());

        Assert.Equal("Before I change anything, what's your four-digit security code?", reply.Speech);
        var elicit = reply.Directive("Dialog.ElicitSlot")!;
        Assert.Equal("SecurityCode", (string?)elicit["slotToElicit"]);
        Assert.Equal("IsolateIntent", (string?)elicit["updatedIntent"]!["name"]);
        Assert.Equal("web-1", (string?)elicit["updatedIntent"]!["slots"]!["InstanceName"]!["value"]);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenCodeIsRight_RunsTheHandlerAndDoesNotAskAgainOnTheConfirmation()
    {
        using var h = new HostileHarness(CodeOn);
        await h.Driver.SayAsync(Isolate());

        var readBack = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));
        var done = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("SecurityCode", null)).Confirmation("CONFIRMED"));

        Assert.StartsWith("Isolating web-1, instance ending in 0001, in the VPC ending in prod.", readBack.Speech);
        Assert.Equal("Done. web-1 is isolated: all 2 of its network interfaces are in the isolation group, and termination protection is on. Anything else?", done.Speech);
        h.AssertWeb1Isolated();
    }

    [Fact]
    public async Task HandleAsync_WhenCodeIsSpokenAsWords_AcceptsIt()
    {
        using var h = new HostileHarness(CodeOn);

        var reply = await h.Driver.SayAsync(Isolate("eight zero eight six"));

        Assert.StartsWith("Isolating web-1", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_AfterTheCodeIsChecked_ItAppearsNowhereInResponsesStateOrLogs()
    {
        using var h = new HostileHarness(CodeOn);
        var responses = new List<string>();
        // Request ids without digits: a numbered one (test-001111) would hold the wrong code below by chance.
        responses.Add((await h.Driver.SayAsync(Isolate().WithRequestId("amzn1.echo-api.request.code-ask"))).Json);
        responses.Add((await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode).WithRequestId("amzn1.echo-api.request.code-right"))).Json);
        // Also a wrong code, which is elicited again.
        h.Driver.EndSession();
        responses.Add((await h.Driver.SayAsync(Isolate("1111").WithRequestId("amzn1.echo-api.request.code-wrong"))).Json);

        foreach (var json in responses)
        {
            Assert.DoesNotMatch(CodePattern(), json);
            Assert.DoesNotMatch("1111", json);
            foreach (var attributes in JsonNode.Parse(json)!["sessionAttributes"]?.AsObject() ?? [])
                Assert.DoesNotMatch(CodePattern(), (string?)attributes.Value!["data"] ?? "");
        }
        Assert.All(h.Driver.Log.Lines, l => Assert.DoesNotMatch(CodePattern(), l));
        Assert.All(h.Driver.Log.Lines, l => Assert.DoesNotContain("1111", l));
    }

    [Fact]
    public async Task HandleAsync_WhenAHandlerElicitsAnotherSlot_TheCodeIsNotCarriedInItsUpdatedIntent()
    {
        using var h = new HostileHarness(CodeOn);

        // No InstanceName: patching asks "which instances?" after the code is verified.
        var reply = await h.Driver.SayAsync(HostileHarness.Say("PatchIntent", ("SecurityCode", HostileHarness.SecurityCode)));

        Assert.Equal("Which instances should I patch? You can say: patch the instances tagged environment prod, or patch web one.", reply.Speech);
        Assert.DoesNotMatch(CodePattern(), reply.Json);
    }

    [Fact]
    public async Task HandleAsync_WhenCodeIsWrong_AsksAgainAndCountsTheFailureForTheSpeakerAndInTotal()
    {
        using var h = new HostileHarness(CodeOn);

        var reply = await h.Driver.SayAsync(Isolate("1111"));

        Assert.Equal("That code isn't right. What's your four-digit security code?", reply.Speech);
        Assert.Equal("SecurityCode", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Equal("1", h.State.Item(StateKeys.CodeAttempts(IdentityHash.Of(AlexaRequests.PersonId)!))!["failures"]);
        Assert.Equal("1", h.State.Item(StateKeys.CodeAttemptsTotal(h.Time.GetUtcNow()))!["failures"]);
        Assert.Empty(h.Ec2.Invocations);
        Assert.DoesNotContain(h.Ssm.Mock.Invocations, i => i.Method.Name is "PutParameterAsync" or "DeleteParameterAsync");
    }

    [Theory]
    [InlineData("12")]
    [InlineData("banana")]
    [InlineData("12345")]
    public async Task HandleAsync_WhenCodeIsNotFourDigits_AsksAgainWithoutCountingIt(string heard)
    {
        using var h = new HostileHarness(CodeOn);

        var reply = await h.Driver.SayAsync(Isolate(heard));

        Assert.Equal("I didn't catch four digits. What's your four-digit security code?", reply.Speech);
        Assert.DoesNotContain(h.State.Keys, k => k.StartsWith("code#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_WhenWrongCodesReachTheLimit_LocksTheSpeakerOut()
    {
        using var h = new HostileHarness(CodeOn);

        await h.Driver.SayAsync(Isolate("1111"));
        await h.Driver.SayAsync(Isolate("2222"));
        var third = await h.Driver.SayAsync(Isolate("3333"));
        h.Driver.EndSession();
        var afterwards = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.Equal("That code isn't right either, so I've locked changes for your voice for 15 minutes. Nothing was changed.", third.Speech);
        Assert.True(third.EndsSession);
        Assert.Equal("Changes are locked for your voice after too many wrong security codes. Try again in 15 minutes. Nothing was changed.", afterwards.Speech);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenLockedOutInOneContainer_AnotherContainerRefusesTooUntilTheLockExpires()
    {
        using var first = new HostileHarness(CodeOn);
        using var second = new HostileHarness(CodeOn, first.Ssm, first.Time, sharedState: first.State);
        Assert.NotSame(first.Driver.Function, second.Driver.Function);

        foreach (var wrong in new[] { "1111", "2222", "3333" })
            await first.Driver.SayAsync(Isolate(wrong));
        var locked = await second.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));
        first.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        second.Driver.EndSession();
        var asked = await second.Driver.SayAsync(Isolate());
        var readBack = await second.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.StartsWith("Changes are locked for your voice", locked.Speech);
        Assert.Equal("Before I change anything, what's your four-digit security code?", asked.Speech);
        Assert.StartsWith("Isolating web-1", readBack.Speech);
        Assert.Empty(first.MutatingCalls);
        Assert.Empty(second.MutatingCalls);
    }

    [Fact]
    public async Task HandleAsync_WhenTheSpeakerIsLockedOutAgainWithinADay_TheLockLastsTwiceAsLong()
    {
        using var h = new HostileHarness(CodeOn);
        foreach (var wrong in new[] { "1111", "2222", "3333" })
            await h.Driver.SayAsync(Isolate(wrong));
        h.Time.Advance(TimeSpan.FromMinutes(16));
        h.Driver.EndSession();

        await h.Driver.SayAsync(Isolate("4444"));
        await h.Driver.SayAsync(Isolate("5555"));
        var second = await h.Driver.SayAsync(Isolate("6666"));
        h.Time.Advance(TimeSpan.FromMinutes(16));
        h.Driver.EndSession();
        var stillLocked = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.Equal("That code isn't right either, so I've locked changes for your voice for 30 minutes. Nothing was changed.", second.Speech);
        Assert.Equal("Changes are locked for your voice after too many wrong security codes. Try again in 14 minutes. Nothing was changed.", stillLocked.Speech);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenWrongCodesFromManyVoicesReachTheHourlyTotal_LocksEveryoneUntilTheHourEnds()
    {
        var env = new Dictionary<string, string>(CodeOn) { ["SECURITY_CODE_MAX_TOTAL_ATTEMPTS"] = "4", ["ALLOWED_SPEAKERS"] = string.Join(",", Enumerable.Range(1, 3).Select(i => IdentityHash.Of("amzn1.ask.person.voice" + i))) + "," + IdentityHash.Of(AlexaRequests.PersonId) };
        using var h = new HostileHarness(env);
        for (var i = 1; i <= 3; i++)
        {
            h.Driver.EndSession();
            await h.Driver.SayAsync(Isolate("1111").Speaker("amzn1.ask.person.voice" + i));
        }
        h.Driver.EndSession();
        var fourth = await h.Driver.SayAsync(Isolate("2222"));
        h.Driver.EndSession();
        var rightCode = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.Matches("^Changes are locked for everyone after too many wrong security codes this hour. Try again in (60 minutes|1 hour). Nothing was changed.$", fourth.Speech);
        Assert.Equal(fourth.Speech, rightCode.Speech);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("\"kind\":\"security-code.locked-everyone\""));
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenWrongCodesAreSpreadOverTwoContainers_TheyAddUp()
    {
        using var first = new HostileHarness(CodeOn);
        using var second = new HostileHarness(CodeOn, first.Ssm, first.Time, sharedState: first.State);

        await first.Driver.SayAsync(Isolate("1111"));
        await second.Driver.SayAsync(Isolate("2222"));
        var third = await first.Driver.SayAsync(Isolate("3333"));

        Assert.StartsWith("That code isn't right either, so I've locked changes", third.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenTheRightCodeFollowsWrongOnes_ClearsTheCount()
    {
        using var h = new HostileHarness(CodeOn);

        await h.Driver.SayAsync(Isolate("1111"));
        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.Equal("0", h.State.Item(StateKeys.CodeAttempts(IdentityHash.Of(AlexaRequests.PersonId)!))!["failures"]);
    }

    [Fact]
    public async Task HandleAsync_WhenAnotherSpeakerContinuesAVerifiedSession_AsksThemForTheCode()
    {
        var other = "amzn1.ask.person.COLLEAGUE";
        using var h = new HostileHarness(new Dictionary<string, string>(CodeOn)
        {
            ["ALLOWED_SPEAKERS"] = IdentityHash.Of(AlexaRequests.PersonId) + "," + IdentityHash.Of(other),
        });
        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED").Speaker(other));

        Assert.Equal("Before I change anything, what's your four-digit security code?", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task HandleAsync_WhenTheVerifiedTimeHasPassed_AsksAgain()
    {
        using var h = new HostileHarness(CodeOn);
        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));
        h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")));

        Assert.Equal("Before I change anything, what's your four-digit security code?", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenNoCodeParameterExists_RefusesToChangeAnything()
    {
        using var h = new HostileHarness(new Dictionary<string, string>(CodeOn) { ["SECURITY_CODE_PARAMETER"] = "/securityalexa/missing" });

        var reply = await h.Driver.SayAsync(Isolate("1234"));

        Assert.StartsWith("A security code is required before I change anything, but none is set up", reply.Speech);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenTheStoredCodeIsPlainDigits_TreatsItAsNotSetUp()
    {
        using var h = new HostileHarness(CodeOn);
        h.Ssm.SetSecure(HostileHarness.CodeParameter, HostileHarness.SecurityCode);

        var reply = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        Assert.StartsWith("A security code is required", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_ReadsTheCodeParameterDecryptedAndOncePerContainerWhileCached()
    {
        using var h = new HostileHarness(CodeOn);

        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));
        h.Driver.EndSession();
        await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));

        var reads = h.Ssm.Mock.Invocations.Select(i => i.Arguments[0]).OfType<Amazon.SimpleSystemsManagement.Model.GetParameterRequest>()
            .Where(r => r.Name == HostileHarness.CodeParameter).ToList();
        Assert.True(Assert.Single(reads).WithDecryption);
    }

    [Fact]
    public async Task HandleAsync_WhenCodeIsOff_NeverAsksOrReadsTheParameter()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SayAsync(Isolate());

        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
        Assert.DoesNotContain(h.Ssm.Mock.Invocations, i => i.Method.Name == "GetParameterAsync");
    }

    [Fact]
    public async Task HandleAsync_WhenReadOnlyIntentWithCodeOn_DoesNotAsk()
    {
        using var h = new HostileHarness(CodeOn);

        var reply = await h.Driver.SayAsync(HostileHarness.Say("AMAZON.HelpIntent"));

        Assert.StartsWith("Here are some things you can say", reply.Speech);
    }

    [GeneratedRegex(@"(?<![\d-])8086(?!\d)")]
    private static partial Regex CodePattern();
}
