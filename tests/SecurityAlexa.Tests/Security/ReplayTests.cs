using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SecurityAlexa.Security;
using SecurityAlexa.State;
using SecurityAlexa.Tests.State;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

public sealed class ReplayTests
{
    [Fact]
    public async Task HandleAsync_WhenTheSameConfirmationIsSentTwice_ActsOnce()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var confirm = HostileHarness.Confirm("IsolateIntent", "web-1", attributes);

        var first = await h.Driver.SendAsync(confirm);
        var again = await h.Driver.SendAsync(confirm);

        Assert.StartsWith("Done.", first.Speech);
        Assert.Equal("I've already handled that exact request, so I didn't do it again. Ask again if you want something new.", again.Speech);
        h.AssertWeb1Isolated();
    }

    [Fact]
    public async Task HandleAsync_WhenTheSameConfirmationReachesTwoContainers_ActsOnce()
    {
        using var first = new HostileHarness();
        using var second = new HostileHarness(sharedSsm: first.Ssm, sharedTime: first.Time, sharedState: first.State);
        var attributes = await first.ReadBackAsync("IsolateIntent", "web-1");
        var confirm = HostileHarness.Confirm("IsolateIntent", "web-1", attributes);

        var one = await first.Driver.SendAsync(confirm);
        var two = await second.Driver.SendAsync(confirm);

        Assert.StartsWith("Done.", one.Speech);
        Assert.StartsWith("I've already handled that exact request", two.Speech);
        first.AssertWeb1Isolated();
        Assert.Empty(second.MutatingCalls);
    }

    [Fact]
    public async Task HandleAsync_ClaimsEachMutatingRequestIdWithOneConditionalPutThatExpires()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"));

        await h.Driver.SendAsync(request);

        var put = Assert.Single(h.State.Requests<PutItemRequest>());
        Assert.Equal(FakeDynamoDb.DefaultTable, put.TableName);
        Assert.Equal(StateKeys.Claim("requests", request.RequestId), put.Item["pk"].S);
        Assert.DoesNotContain(request.RequestId, put.Item["pk"].S);
        Assert.Equal("attribute_not_exists(#n0) OR #n1 <= :v0", put.ConditionExpression);
        Assert.Equal("pk", put.ExpressionAttributeNames["#n0"]);
        Assert.Equal("expiresAt", put.ExpressionAttributeNames["#n1"]);
        // A request is accepted up to 150 s either side of its timestamp: the claim outlives both, and a little more.
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(330).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), put.Item["expiresAt"].N);
        Assert.DoesNotContain(h.Ssm.Mock.Invocations, i => i.Method.Name is "PutParameterAsync" or "DeleteParameterAsync");
    }

    [Fact]
    public async Task HandleAsync_WhenAnExpiredClaimIsStillInTheTable_ActsOnTheRequest()
    {
        // DynamoDB deletes expired items up to days late: an expired claim must not block a request.
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var confirm = HostileHarness.Confirm("IsolateIntent", "web-1", attributes);
        var stale = new InMemoryStateTable();
        await new ReplayLedger(stale, SecuritySettings.Default).TryClaimAsync("requests", confirm.RequestId, "IsolateIntent", h.Time.GetUtcNow().AddHours(-1), CancellationToken.None);
        var old = stale.Items.Single();
        await new SecurityAlexa.Aws.DynamoStateTable(() => h.State.Client, FakeDynamoDb.DefaultTable).PutAsync(old, StateCondition.Absent, h.Time.GetUtcNow().AddHours(-1), CancellationToken.None);
        Assert.Contains(old.Key, h.State.Keys);

        var reply = await h.Driver.SendAsync(confirm);

        Assert.StartsWith("Done.", reply.Speech);
        h.AssertWeb1Isolated();
    }

    [Fact]
    public async Task HandleAsync_WhenAReadOnlyRequestIsRepeated_AnswersAgainWithoutTheStateTable()
    {
        using var h = new HostileHarness();
        var help = HostileHarness.Say("AMAZON.HelpIntent");

        var first = await h.Driver.SendAsync(help);
        var again = await h.Driver.SendAsync(help);

        Assert.Equal(first.Speech, again.Speech);
        Assert.Empty(h.Ssm.Mock.Invocations);
        Assert.Empty(h.State.Mock.Invocations);
    }

    [Theory]
    [InlineData(-151)]
    [InlineData(151)]
    [InlineData(-3600)]
    public async Task HandleAsync_WhenTimestampIsOutsideTolerance_RefusesBeforeAnyAwsCall(int offsetSeconds)
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        h.Ec2.Invocations.Clear();

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes).At(h.Time.GetUtcNow().AddSeconds(offsetSeconds)));

        Assert.Equal("That request arrived too long after it was made, so I didn't trust it and did nothing. Please ask again.", reply.Speech);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenTimestampIsWithinTolerance_Acts()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes).At(h.Time.GetUtcNow().AddSeconds(-149)));

        Assert.StartsWith("Done.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenAMutatingRequestHasNoTimestamp_Refuses()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("PatchIntent", ("InstanceName", "web-1")).WithoutTimestamp());

        Assert.Equal("That request didn't say when it was made, so I didn't trust it and did nothing. Please ask again.", reply.Speech);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenAReadOnlyRequestHasNoTimestamp_Answers()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("AMAZON.HelpIntent").WithoutTimestamp());

        Assert.StartsWith("Here are some things you can say", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenAReadOnlyRequestIsStaleInLambda_Refuses()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("AMAZON.HelpIntent").At(h.Time.GetUtcNow().AddMinutes(-10)));

        Assert.StartsWith("That request arrived too long after it was made", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenASessionEndedRequestIsStale_StaysSilent()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(AlexaRequests.SessionEnded().At(h.Time.GetUtcNow().AddMinutes(-10)));

        Assert.True(reply.IsEmpty);
    }

    [Fact]
    public async Task HandleAsync_WhenAgeCheckIsMutatingOnly_AnswersStaleReadOnlyRequests()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["REQUEST_AGE_CHECK"] = "mutating" });

        var help = await h.Driver.SendAsync(HostileHarness.Say("AMAZON.HelpIntent").At(h.Time.GetUtcNow().AddMinutes(-10)));
        var patch = await h.Driver.SendAsync(HostileHarness.Say("PatchIntent", ("InstanceName", "web-1")).At(h.Time.GetUtcNow().AddMinutes(-10)));

        Assert.StartsWith("Here are some things you can say", help.Speech);
        Assert.StartsWith("That request arrived too long after it was made", patch.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenAgeCheckIsOffInLambda_StillChecksMutatingRequests()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["REQUEST_AGE_CHECK"] = "off" });

        var patch = await h.Driver.SendAsync(HostileHarness.Say("PatchIntent", ("InstanceName", "web-1")).At(h.Time.GetUtcNow().AddMinutes(-10)));

        Assert.StartsWith("That request arrived too long after it was made", patch.Speech);
    }

    [Fact]
    public void RecentRequests_TryAdd_RefusesARepeatUntilItIsForgotten()
    {
        var recent = new RecentRequests(capacity: 2);
        var now = DateTimeOffset.UnixEpoch;
        var keep = TimeSpan.FromMinutes(5);

        Assert.True(recent.TryAdd("a", now, keep));
        Assert.False(recent.TryAdd("a", now.AddMinutes(4), keep));
        Assert.True(recent.TryAdd("a", now.AddMinutes(6), keep));
    }

    [Fact]
    public void RecentRequests_TryAdd_StaysWithinItsCapacity()
    {
        var recent = new RecentRequests(capacity: 2);
        var now = DateTimeOffset.UnixEpoch;
        var keep = TimeSpan.FromHours(1);

        recent.TryAdd("a", now, keep);
        recent.TryAdd("b", now, keep);
        recent.TryAdd("c", now, keep);

        // "a" was pushed out; the state table, not memory, is what catches it in Lambda.
        Assert.True(recent.TryAdd("a", now, keep));
        Assert.False(recent.TryAdd("c", now, keep));
    }

    [Fact]
    public async Task ReplayLedger_TryClaimAsync_ClaimsAnEventIdOnceAcrossContainers()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var store = new InMemoryStateTable();
        var a = new ReplayLedger(store, SecuritySettings.Default);
        var b = new ReplayLedger(store, SecuritySettings.Default);

        var first = await a.TryClaimAsync("events", "eb-event-1", "tag-change", time.GetUtcNow(), CancellationToken.None);
        var redelivered = await b.TryClaimAsync("events", "eb-event-1", "tag-change", time.GetUtcNow(), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(6));
        var muchLater = await b.TryClaimAsync("events", "eb-event-1", "tag-change", time.GetUtcNow(), CancellationToken.None);

        Assert.True(first);
        Assert.False(redelivered);
        Assert.True(muchLater);
    }
}
