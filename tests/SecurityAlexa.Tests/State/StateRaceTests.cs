using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using SecurityAlexa.Security;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.State;

/// <summary>
/// Two pipelines, as two Lambda containers, sharing one <see cref="FakeDynamoDb"/> and truly racing: the fake
/// holds each side's write until both have arrived, then applies them atomically one after the other. Exactly
/// one side wins each race, and nothing is lost.
/// </summary>
public sealed class StateRaceTests
{
    private static readonly Dictionary<string, string> CodeOn = new() { ["SECURITY_CODE"] = "mutating" };

    private static AlexaRequests IsolateWithCode(string code) =>
        HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("SecurityCode", code)).Dialog("IN_PROGRESS");

    [Fact]
    public async Task SameRequestId_OnTwoContainersAtOnce_IsActedOnByExactlyOne()
    {
        using var a = new HostileHarness();
        using var b = new HostileHarness(sharedSsm: a.Ssm, sharedTime: a.Time, sharedState: a.State);
        var attributes = await a.ReadBackAsync("IsolateIntent", "web-1");
        var confirm = HostileHarness.Confirm("IsolateIntent", "web-1", attributes);
        a.State.HoldUntilAllArrive("PutItem", "claim#requests#", 2);

        var replies = await Task.WhenAll(a.Driver.SendAsync(confirm), b.Driver.SendAsync(confirm)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(replies, r => r.Speech.StartsWith("Done.", StringComparison.Ordinal));
        Assert.Single(replies, r => r.Speech.StartsWith("I've already handled that exact request", StringComparison.Ordinal));
        // Both claims reached the table; one put won, the other's condition failed.
        var claim = StateKeys.Claim("requests", confirm.RequestId);
        Assert.Equal(2, a.State.Requests<PutItemRequest>().Count(p => p.Item["pk"].S == claim));
        Assert.Contains(claim, a.State.Keys);
        // Only the winner changed EC2: each of web-1's interfaces moved exactly twice, by one container.
        var moves = a.Changes<ModifyNetworkInterfaceAttributeRequest>().Count + b.Changes<ModifyNetworkInterfaceAttributeRequest>().Count;
        Assert.Equal(2 * a.InterfacesOf("web-1").Count, moves);
        Assert.True(a.MutatingCalls.Count == 0 || b.MutatingCalls.Count == 0, "both containers changed EC2");
    }

    [Fact]
    public async Task LastWrongCode_OnTwoContainersAtOnce_BothCountAndExactlyOneLocks()
    {
        using var a = new HostileHarness(CodeOn);
        using var b = new HostileHarness(CodeOn, a.Ssm, a.Time, sharedState: a.State);
        await a.Driver.SayAsync(IsolateWithCode("1111"));
        await a.Driver.SayAsync(IsolateWithCode("2222"));
        var who = StateKeys.CodeAttempts(IdentityHash.Of(AlexaRequests.PersonId)!);
        // The third and a fourth wrong code, given at once on two devices: both read "2 so far", both ADD.
        a.State.HoldUntilAllArrive("UpdateItem", who, 2);
        a.State.HoldUntilAllArrive("UpdateItem", "code#all#", 2);

        var replies = await Task.WhenAll(a.Driver.SayAsync(IsolateWithCode("3333")), b.Driver.SayAsync(IsolateWithCode("4444"))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(replies, r => Assert.Equal("That code isn't right either, so I've locked changes for your voice for 15 minutes. Nothing was changed.", r.Speech));
        var speaker = a.State.Item(who)!;
        Assert.Equal("4", speaker["failures"]);
        // Exactly one of the two reached the limit (ADD returned 3) and locked: the level went up once.
        Assert.Equal("1", speaker["level"]);
        Assert.Single(a.State.Requests<UpdateItemRequest>(), u => u.Key["pk"].S == who && u.UpdateExpression.Contains("ADD", StringComparison.Ordinal)
            && u.ExpressionAttributeNames.ContainsValue("level"));
        Assert.Equal("4", a.State.Item(StateKeys.CodeAttemptsTotal(a.Time.GetUtcNow()))!["failures"]);
        Assert.Empty(a.Ec2.Invocations);
        Assert.Empty(b.Ec2.Invocations);
    }

    [Fact]
    public async Task FirstWrongCode_OnTwoContainersAtOnce_OpensOneWindowAndCountsBoth()
    {
        using var a = new HostileHarness(CodeOn);
        using var b = new HostileHarness(CodeOn, a.Ssm, a.Time, sharedState: a.State);
        var who = StateKeys.CodeAttempts(IdentityHash.Of(AlexaRequests.PersonId)!);
        // Neither container has a record: both try to open the window (the update of an old item, then a fresh put).
        a.State.HoldUntilAllArrive("PutItem", who, 2);

        var replies = await Task.WhenAll(a.Driver.SayAsync(IsolateWithCode("1111")), b.Driver.SayAsync(IsolateWithCode("2222"))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(replies, r => Assert.Equal("That code isn't right. What's your four-digit security code?", r.Speech));
        // One put created the item; the loser's put was refused and it counted with ADD instead.
        Assert.Equal("2", a.State.Item(who)!["failures"]);
        Assert.Equal(2, a.State.Requests<PutItemRequest>().Count(p => p.Item["pk"].S == who));
        var third = await a.Driver.SayAsync(IsolateWithCode("3333"));
        Assert.StartsWith("That code isn't right either, so I've locked changes", third.Speech);
    }
}
