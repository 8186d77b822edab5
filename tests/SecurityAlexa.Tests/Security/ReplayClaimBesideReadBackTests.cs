using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Hostile;

namespace SecurityAlexa.Tests.Security;

/// <summary>
/// A confirmed intent's replay claim runs beside its read-back (issue 12 §8: one sequential round trip less), but
/// still decides the answer, and nothing changes after a yes until the claim is won.
/// </summary>
public sealed class ReplayClaimBesideReadBackTests
{
    private const string ClaimPrefix = "claim#requests#";
    private const string Refused = "I couldn't finish my security checks, so I changed nothing.";

    [Fact]
    public async Task ReadBack_ResolvesTheInstanceWhileTheClaimIsStillUnanswered_AndWaitsForTheClaimBeforeAnswering()
    {
        using var h = new HostileHarness();
        h.State.HangNext("PutItem", ClaimPrefix);

        var pending = h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")));
        await h.State.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // With the claim awaited first, no EC2 call could start while it hangs.
        await WaitUntilAsync(() => h.Ec2.Invocations.Any(i => i.Method.Name == "DescribeInstancesAsync"));
        Assert.False(pending.IsCompleted);
        h.Time.Advance(TimeSpan.FromMilliseconds(6300));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Refused + " AWS didn't answer dynamodb:PutItem in time. Please try again in a moment.", reply.Speech);
        Assert.DoesNotContain("Dialog.ConfirmIntent", reply.DirectiveTypes);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task ReadBack_WhenAnotherContainerHasClaimedTheRequest_RefusesAndLeavesNothingToSayYesTo()
    {
        using var first = new HostileHarness();
        using var second = new HostileHarness(sharedSsm: first.Ssm, sharedTime: first.Time, sharedState: first.State);
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"));

        var original = await first.Driver.SendAsync(request);
        var replay = await second.Driver.SendAsync(request);
        var yes = await second.Driver.SendAsync(
            HostileHarness.Confirm("IsolateIntent", "web-1", replay.SessionAttributes ?? new JsonObject()));

        Assert.Contains("Dialog.ConfirmIntent", original.DirectiveTypes);
        Assert.Equal("I've already handled that exact request, so I didn't do it again. Ask again if you want something new.",
            replay.Speech);
        Assert.DoesNotContain("Dialog.ConfirmIntent", replay.DirectiveTypes);
        // The read-back the replayed turn composed (its pending action) was thrown away with its answer.
        Assert.DoesNotContain("isolate", replay.SessionAttributes?.ToJsonString() ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Done.", yes.Speech, StringComparison.Ordinal);
        Assert.Empty(second.MutatingCalls);
        Assert.Empty(first.MutatingCalls);
    }

    [Fact]
    public async Task Yes_WhileItsClaimIsUnanswered_ChangesNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        h.State.HangNext("PutItem", ClaimPrefix);

        var pending = h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes));
        await h.State.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        Assert.Empty(h.MutatingCalls);
        h.Time.Advance(TimeSpan.FromMilliseconds(6300));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Refused + " AWS didn't answer dynamodb:PutItem in time. Please try again in a moment.", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task Yes_ClaimsTheRequestBeforeTheFirstChange()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var claimsBefore = h.State.Requests<Amazon.DynamoDBv2.Model.PutItemRequest>()
            .Count(p => p.Item["pk"].S.StartsWith(ClaimPrefix, StringComparison.Ordinal));

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes));

        Assert.StartsWith("Done.", reply.Speech);
        var claims = h.State.Requests<Amazon.DynamoDBv2.Model.PutItemRequest>()
            .Count(p => p.Item["pk"].S.StartsWith(ClaimPrefix, StringComparison.Ordinal));
        Assert.Equal(claimsBefore + 1, claims);
        h.AssertWeb1Isolated();
    }

    [Theory]
    [InlineData("IsolateIntent", "web-1")]
    [InlineData("ReleaseIntent", HostileHarness.Isolated)]
    public async Task YesToAnIsolationOrARelease_ReadsTheInstanceWhileItsClaimIsUnanswered_AndWritesNothingUntilTheClaimIsWon(
        string intent, string instance)
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync(intent, instance);
        var describesBefore = Describes(h);
        var writesBefore = IsolationRecordWrites(h);
        h.State.HangNext("PutItem", ClaimPrefix);

        var pending = h.Driver.SendAsync(HostileHarness.Confirm(intent, instance, attributes));
        await h.State.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Issue 18: the reads share the claim's round trip; the writes and changes wait for the claim.
        await WaitUntilAsync(() => Describes(h) > describesBefore);
        await Task.Delay(300);
        Assert.False(pending.IsCompleted);
        Assert.Empty(h.MutatingCalls);
        Assert.Equal(writesBefore, IsolationRecordWrites(h));
        h.Time.Advance(TimeSpan.FromMilliseconds(6300));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Refused + " AWS didn't answer dynamodb:PutItem in time. Please try again in a moment.", reply.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Equal(writesBefore, IsolationRecordWrites(h));
    }

    [Fact]
    public async Task YesToAnIsolation_WhoseRequestAnotherContainerHasClaimed_ReadsButWritesAndChangesNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var yes = HostileHarness.Confirm("IsolateIntent", "web-1", attributes).WithRequestId("amzn1.echo-api.request.claimed-elsewhere");
        await ClaimedElsewhereAsync(h, yes.RequestId);
        var describesBefore = Describes(h);
        var writesBefore = IsolationRecordWrites(h);

        var reply = await h.Driver.SendAsync(yes);

        Assert.Equal("I've already handled that exact request, so I didn't do it again. Ask again if you want something new.",
            reply.Speech);
        Assert.True(Describes(h) > describesBefore, "The isolator's reads ran beside the claim.");
        Assert.Empty(h.MutatingCalls);
        Assert.Equal(writesBefore, IsolationRecordWrites(h));
        Assert.Null(h.State.Item(SecurityAlexa.State.StateKeys.Isolation(HostileHarness.IdOf("web-1"))));
    }

    [Fact]
    public async Task YesToAScan_ReadsInspectorsStatusWhileItsClaimIsUnanswered_AndTurnsOnOrStartsNothingUntilTheClaimIsWon()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("ScanIntent", "web-1");
        var statusReads = h.Http.CallsOf("inspector2:BatchGetAccountStatus").Count;
        h.State.HangNext("PutItem", ClaimPrefix);

        var pending = h.Driver.SendAsync(HostileHarness.Confirm("ScanIntent", "web-1", attributes));
        await h.State.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => h.Http.CallsOf("inspector2:BatchGetAccountStatus").Count > statusReads);
        await Task.Delay(300);
        Assert.False(pending.IsCompleted);
        Assert.Empty(h.MutatingCalls);
        h.Time.Advance(TimeSpan.FromMilliseconds(6300));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Refused + " AWS didn't answer dynamodb:PutItem in time. Please try again in a moment.", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }

    [Theory]
    [InlineData("DISABLED")]
    [InlineData("ENABLED")]
    public async Task YesToAScan_WhoseRequestAnotherContainerHasClaimed_TurnsOnAndStartsNothing(string scanning)
    {
        using var h = new HostileHarness(ec2Scanning: scanning);
        var attributes = await h.ReadBackAsync("ScanIntent", "web-1");
        var yes = HostileHarness.Confirm("ScanIntent", "web-1", attributes).WithRequestId("amzn1.echo-api.request.scan-claimed-elsewhere");
        await ClaimedElsewhereAsync(h, yes.RequestId);

        var reply = await h.Driver.SendAsync(yes);

        Assert.Equal("I've already handled that exact request, so I didn't do it again. Ask again if you want something new.",
            reply.Speech);
        Assert.NotEmpty(h.Http.CallsOf("inspector2:BatchGetAccountStatus"));
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task YesToARelease_WhoseRequestAnotherContainerHasClaimed_LeavesTheIsolationAndItsRecordAsTheyWere()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("ReleaseIntent", HostileHarness.Isolated);
        var yes = HostileHarness.Confirm("ReleaseIntent", HostileHarness.Isolated, attributes)
            .WithRequestId("amzn1.echo-api.request.release-claimed-elsewhere");
        await ClaimedElsewhereAsync(h, yes.RequestId);
        var record = h.State.Item(SecurityAlexa.State.StateKeys.Isolation(HostileHarness.IdOf(HostileHarness.Isolated)));
        Assert.Equal("isolated", record?["state"]);

        var reply = await h.Driver.SendAsync(yes);

        Assert.Equal("I've already handled that exact request, so I didn't do it again. Ask again if you want something new.",
            reply.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Equal(record, h.State.Item(SecurityAlexa.State.StateKeys.Isolation(HostileHarness.IdOf(HostileHarness.Isolated))));
    }

    [Fact]
    public async Task YesToAScan_WhoseRequestAnotherContainerHasClaimed_DoesNotSayTheScanIsStarting()
    {
        using var h = new HostileHarness(ec2Scanning: "ENABLED");
        var attributes = await h.ReadBackAsync("ScanIntent", "web-1");
        var yes = HostileHarness.Confirm("ScanIntent", "web-1", attributes).WithRequestId("amzn1.echo-api.request.scan-progress-replayed");
        await ClaimedElsewhereAsync(h, yes.RequestId);
        var spokenBefore = h.Driver.Progress.Spoken.Count;

        var reply = await h.Driver.SendAsync(yes);

        Assert.StartsWith("I've already handled that exact request", reply.Speech, StringComparison.Ordinal);
        Assert.Empty(h.Driver.Progress.Spoken.Skip(spokenBefore));
    }

    [Fact]
    public async Task YesToAScan_WhenTheFirstYesIsWon_SaysTheScanIsStarting()
    {
        using var h = new HostileHarness(ec2Scanning: "ENABLED");
        var attributes = await h.ReadBackAsync("ScanIntent", "web-1");
        var spokenBefore = h.Driver.Progress.Spoken.Count;

        await h.Driver.SendAsync(HostileHarness.Confirm("ScanIntent", "web-1", attributes));

        Assert.Equal(["Starting the scan."], h.Driver.Progress.Spoken.Skip(spokenBefore));
    }

    [Theory]
    [InlineData("ENABLED", "inspector2:CreateCisScanConfiguration", "AWS is answering slowly right now, so I haven't started the scan of")]
    [InlineData("DISABLED", "inspector2:Enable", "AWS is answering slowly right now, so I haven't turned on EC2 scanning yet.")]
    public async Task YesToAScan_WhoseClaimIsWonWithLessThanASecondLeft_ChangesNothingAndOffersItAgain(string scanning, string change,
        string said)
    {
        using var h = new HostileHarness(ec2Scanning: scanning);
        var attributes = await h.ReadBackAsync("ScanIntent", "web-1");
        var statusReads = h.Http.CallsOf("inspector2:BatchGetAccountStatus").Count;
        // The turn's claim waits until a second claim arrives: here, 5.5 s into the turn.
        h.State.HoldUntilAllArrive("PutItem", ClaimPrefix, 2);

        var pending = h.Driver.SendAsync(HostileHarness.Confirm("ScanIntent", "web-1", attributes));
        await WaitUntilAsync(() => h.Http.CallsOf("inspector2:BatchGetAccountStatus").Count > statusReads);
        await Task.Delay(300);
        Assert.False(pending.IsCompleted);
        h.Time.Advance(TimeSpan.FromMilliseconds(5500));
        await ClaimedElsewhereAsync(h, "amzn1.echo-api.request.another-turn");
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        // 0.4 s were left before the answer's reserve when the claim was won: less than a change needs (1 s).
        Assert.Empty(h.Http.CallsOf(change));
        Assert.Empty(h.MutatingCalls);
        Assert.StartsWith(said, reply.Speech, StringComparison.Ordinal);
        Assert.Contains("Dialog.ConfirmIntent", reply.DirectiveTypes);
    }

    // Another container won this request's claim and has not changed anything yet.
    private static Task ClaimedElsewhereAsync(HostileHarness h, string requestId) =>
        h.State.Client.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest
        {
            TableName = h.State.TableName,
            Item = new()
            {
                ["pk"] = new() { S = SecurityAlexa.Security.ReplayLedger.KeyFor("requests", requestId) },
                [SecurityAlexa.State.StateItem.KindAttribute] = new() { S = "claim" },
                [SecurityAlexa.State.StateItem.ExpiryAttribute] = new() { N = h.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds().ToString(
                    System.Globalization.CultureInfo.InvariantCulture) },
            },
        });

    private static int Describes(HostileHarness h) => h.Ec2.Invocations.Count(i => i.Method.Name == "DescribeInstancesAsync");

    // Writes of any isolation record (or group record): the isolator's first writes, which must wait for the claim.
    private static int IsolationRecordWrites(HostileHarness h) =>
        h.State.Requests<Amazon.DynamoDBv2.Model.UpdateItemRequest>().Count(u => u.Key["pk"].S.StartsWith("isolation", StringComparison.Ordinal))
        + h.State.Requests<Amazon.DynamoDBv2.Model.PutItemRequest>().Count(p => p.Item["pk"].S.StartsWith("isolation", StringComparison.Ordinal));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "The read-back made no EC2 call while its claim was unanswered.");
            await Task.Delay(10);
        }
    }
}
