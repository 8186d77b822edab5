using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using SecurityAlexa.Isolation;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Hostile;

namespace SecurityAlexa.Tests.State;

/// <summary>
/// Isolate against release, and isolate twice, of one instance: two pipelines (two Lambda containers) sharing one
/// <see cref="FakeDynamoDb"/>, whose writes to the isolation record are held until both have arrived and then applied
/// one after the other. Every write is conditioned on the version read, so exactly one side wins, and the record
/// keeps the originals whatever the order.
/// </summary>
public sealed class IsolationRaceTests
{
    private static readonly string Web2 = HostileHarness.IdOf(HostileHarness.Isolated);

    // web-2's interface was moved back out of the isolation group by hand: isolating it again changes something.
    private static void KnockOut(HostileHarness h)
    {
        var eni = h.Net.Interfaces[h.InterfacesOf(HostileHarness.Isolated)[0]];
        eni.Groups = [.. HostileHarness.IsolatedOriginals];
    }

    [Fact]
    public async Task IsolateAndReleaseOfOneInstance_OnTwoContainersAtOnce_ExactlyOneWinsAndTheOriginalsAreKept()
    {
        using var a = new HostileHarness();
        using var b = new HostileHarness(sharedSsm: a.Ssm, sharedTime: a.Time, sharedState: a.State);
        KnockOut(a);
        KnockOut(b);
        var isolateAttributes = await a.ReadBackAsync("IsolateIntent", HostileHarness.Isolated);
        var releaseAttributes = await b.ReadBackAsync("ReleaseIntent", HostileHarness.Isolated);
        var isolate = HostileHarness.Confirm("IsolateIntent", HostileHarness.Isolated, isolateAttributes);
        var release = HostileHarness.Confirm("ReleaseIntent", HostileHarness.Isolated, releaseAttributes);
        var before = a.State.Item(StateKeys.Isolation(Web2))!;
        a.State.HoldUntilAllArrive("UpdateItem", "isolation#", 2);

        var replies = await Task.WhenAll(a.Driver.SendAsync(isolate), b.Driver.SendAsync(release)).WaitAsync(TimeSpan.FromSeconds(30));

        // Both wrote at the version they read; one write landed, the other's condition failed.
        var writes = a.State.Requests<UpdateItemRequest>().Where(u => u.Key["pk"].S == StateKeys.Isolation(Web2)).ToList();
        Assert.True(writes.Count >= 2);
        var won = replies.Count(r => r.Speech.StartsWith("Done.", StringComparison.Ordinal));
        var lost = replies.Count(r => r.Speech.Contains("by another request right now", StringComparison.Ordinal));
        Assert.True(won == 1 && lost == 1, string.Join(" | ", replies.Select(r => r.Speech)));
        var after = a.State.Item(StateKeys.Isolation(Web2))!;
        var isolateWon = replies[0].Speech.StartsWith("Done.", StringComparison.Ordinal);
        Assert.Equal(isolateWon ? IsolationEntry.Isolated : IsolationEntry.Released, after["state"]);
        // Nothing lost: the originals are the ones recorded a day ago, whoever won.
        Assert.Equal(before["interfaces"].Split("\"groups\":")[1].Split(']')[0], after["interfaces"].Split("\"groups\":")[1].Split(']')[0]);
        // Only the winner changed web-2's network.
        var loser = isolateWon ? b : a;
        Assert.Empty(loser.Changes<ModifyNetworkInterfaceAttributeRequest>());
        // The isolation that won moved the interface in; the release that won had nothing to move (it was out already).
        if (isolateWon) Assert.Equal(2, a.Changes<ModifyNetworkInterfaceAttributeRequest>().Count);
        else Assert.Equal(HostileHarness.IsolatedOriginals, b.Net.Interfaces[b.InterfacesOf(HostileHarness.Isolated)[0]].Groups);
    }

    [Fact]
    public async Task IsolateTwiceWithTwoRequests_OnTwoContainersAtOnce_OneRecordsAndMovesTheOtherLeavesItAlone()
    {
        using var a = new HostileHarness();
        using var b = new HostileHarness(sharedSsm: a.Ssm, sharedTime: a.Time, sharedState: a.State);
        var first = HostileHarness.Confirm("IsolateIntent", "web-1", await a.ReadBackAsync("IsolateIntent", "web-1"));
        var second = HostileHarness.Confirm("IsolateIntent", "web-1", await b.ReadBackAsync("IsolateIntent", "web-1"));
        Assert.NotEqual(first.RequestId, second.RequestId);
        a.State.HoldUntilAllArrive("UpdateItem", StateKeys.Isolation(HostileHarness.IdOf("web-1")), 2);

        var replies = await Task.WhenAll(a.Driver.SendAsync(first), b.Driver.SendAsync(second)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(replies, r => r.Speech.StartsWith("Done.", StringComparison.Ordinal));
        Assert.Single(replies, r => r.Speech.Contains("by another request right now", StringComparison.Ordinal));
        Assert.True(a.Changes<ModifyNetworkInterfaceAttributeRequest>().Count == 0 || b.Changes<ModifyNetworkInterfaceAttributeRequest>().Count == 0,
            "both containers moved web-1's interfaces");
        var record = a.State.Item(StateKeys.Isolation(HostileHarness.IdOf("web-1")))!;
        Assert.Equal(IsolationEntry.Isolated, record["state"]);
        Assert.Contains("sg-0web00000000000a1\",\"sg-0ssh00000000000a3", record["interfaces"], StringComparison.Ordinal);
    }
}
