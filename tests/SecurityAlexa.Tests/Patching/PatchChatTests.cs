using System.Net;
using SecurityAlexa.Notifications;
using SecurityAlexa.Tests.Isolation;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>Every patch that goes out is posted to the chat channel; a failed post never fails the patch.</summary>
public sealed class PatchChatTests
{
    [Fact]
    public async Task Patch_OnYes_PostsWhoPatchedWhatWithWhichCommands_AndNothingBefore()
    {
        var chat = new RecordingChat();
        var h = new PatchHarness(chat: chat);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", except: "db one"));
        Assert.Empty(chat.Posts);

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", except: "db one"));

        Assert.Equal("Patching has started on 2 instances: web-1 and web-2. Ask me how the patching is going.", reply.Speech);
        var post = Assert.Single(chat.Posts);
        Assert.StartsWith($"Patching started by voice (speaker ", post, StringComparison.Ordinal);
        Assert.Contains($"on 2 instances: web-1 ({Web1}), web-2 ({Web2}). AWS-RunPatchBaseline Install, RebootIfNeeded. Commands: cmd-1. Reference: ", post, StringComparison.Ordinal);
        Assert.DoesNotContain(Db1, post, StringComparison.Ordinal);
        Assert.DoesNotContain(Support.AlexaRequests.PersonId, post, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_WhenAnInstanceIsSkippedAtTheYes_NamesItInThePost()
    {
        var chat = new RecordingChat();
        var h = new PatchHarness(chat: chat);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", except: "db one"));
        h.Ssm.ConnectionLost(Web2);

        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", except: "db one"));

        var post = Assert.Single(chat.Posts);
        Assert.Contains($"on 1 instance: web-1 ({Web1}).", post, StringComparison.Ordinal);
        Assert.EndsWith("\nSkipped: web-2 (AgentNotResponding).", post, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_WhenTheUserSaysNo_PostsNothing()
    {
        var chat = new RecordingChat();
        var h = new PatchHarness(chat: chat);
        await h.Driver.SayAsync(Patch(name: "web one"));

        await h.Driver.SayAsync(Confirm("DENIED", name: "web one"));

        Assert.Empty(chat.Posts);
        Assert.Empty(h.Ssm.Sent);
    }

    [Fact]
    public async Task Patch_WhenTheChatPostFails_StillPatchesAndSaysTheChannelWasNotNotified()
    {
        var chat = new RecordingChat { Fails = true };
        var h = new PatchHarness(chat: chat);
        await h.Driver.SayAsync(Patch(name: "web one"));

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        Assert.Equal("Patching has started on 1 instance: web-1. I couldn't notify the chat channel. Ask me how the patching is going.", reply.Speech);
        Assert.Single(h.Ssm.Sent);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("chat.failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Patch_WhenTheNotifierThrows_StillReportsThePatchThatWentOut()
    {
        var h = new PatchHarness(chat: new ThrowingChat());
        await h.Driver.SayAsync(Patch(name: "web one"));

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        Assert.StartsWith("Patching has started on 1 instance: web-1. I couldn't notify the chat channel.", reply.Speech);
        Assert.Single(h.Ssm.Sent);
    }

    [Fact]
    public async Task Patch_WhenOnlySomeBatchesWentOut_PostsThePartialStartWithTheError()
    {
        var chat = new RecordingChat();
        var h = new PatchHarness(PatchTargetingTests.Big(80), PatchTargetingTests.AllOnline(80), new Dictionary<string, string> { ["PATCH_CAP"] = "500" }, chat: chat);
        h.Ssm.SendFailure = SsmPatchFake.Error("ThrottlingException", HttpStatusCode.BadRequest);
        h.Ssm.FailSendAfter = 1;
        await h.Driver.SayAsync(Patch("fleet", "big"));
        await h.Driver.SayAsync(Answer("fleet", "big", except: "node-079"));

        await h.Driver.SayAsync(SayCount("79", "fleet", "big", except: "node-079"));

        var post = Assert.Single(chat.Posts);
        Assert.StartsWith("Patching PARTLY started by voice", post, StringComparison.Ordinal);
        Assert.Contains("on 50 instances:", post, StringComparison.Ordinal);
        Assert.Contains("Sending to the other 29 failed: ssm:SendCommand ThrottlingException.", post, StringComparison.Ordinal);
    }

    private sealed class ThrowingChat : IChatNotifier
    {
        public Task<ChatDelivery> NotifyAsync(ChatMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken notifier");
    }
}
