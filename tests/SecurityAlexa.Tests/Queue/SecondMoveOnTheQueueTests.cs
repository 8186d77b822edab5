using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Queue;

/// <summary>
/// Issue 12 §4, the queue's part: when an invocation is stopped between the two moves (the interface is in the
/// allow-all group, the move on to the isolation group never happened), the queued unit, delivered again, makes the
/// second move. The turn's part is <c>SlowIsolationTests</c> and <c>InstanceIsolatorTests</c>; the sweeper's is
/// <c>IsolationRecordTests.Sweeper_*</c>.
/// </summary>
public sealed class SecondMoveOnTheQueueTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a", Db1Eni0 = "eni-0a1b2c3d4e5f64f2a0";
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static string Unit(string instanceId) =>
        WorkEnvelope.BodyOf(IsolateInstanceWork.For(instanceId, new IsolationRequest("speaker:abc123", "port scan", DateTimeOffset.UnixEpoch)));

    [Fact]
    public async Task QueuedUnit_WhenItsInvocationStoppedAfterTheFirstMove_IsDeliveredAgainAndMakesTheSecondMove()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
        var net = Ec2Network.Standard();
        var table = new InMemoryStateTable();
        var firstMoveMade = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The move on to the isolation group never reaches EC2: Lambda stops the invocation at its deadline first.
        net.OnCall = async (operation, request) =>
        {
            if (request is ModifyNetworkInterfaceAttributeRequest move
                && move.Groups.Contains(net.SkillGroup(IsolationRecord.IsolationRole)?.Id ?? "-"))
            {
                firstMoveMade.TrySetResult();
                await stopped.Task;
            }
        };
        var first = new SkillDriver(IsolationServices.Over(net, state: table), time: time);
        var dying = first.SendRawAsync(SqsEvents.One(Unit(Db1), "m-1"));
        await firstMoveMade.Task.WaitAsync(Hang);
        var allowAll = net.SkillGroup(IsolationRecord.AllowAllRole)!.Id;
        var isolation = net.SkillGroup(IsolationRecord.IsolationRole)!.Id;
        Assert.Equal([allowAll], net.Interfaces[Db1Eni0].Groups);

        // That invocation never answers, so the message is not deleted: SQS delivers it again after the visibility
        // timeout, to another container sharing the table.
        net.OnCall = null;
        time.Advance(TimeSpan.FromSeconds(361));
        var second = new SkillDriver(IsolationServices.Over(net, state: table), time: time);
        var failures = SqsEvents.Failures(await second.SendRawAsync(SqsEvents.Batch([("m-1", Unit(Db1))], receiveCount: 2)));

        Assert.Empty(failures);
        Assert.Equal([isolation], net.Interfaces[Db1Eni0].Groups);
        Assert.All(net.Interfaces.Values, e => Assert.DoesNotContain(allowAll, e.Groups));
        var record = await new IsolationLedger(table).ReadAsync(Db1, time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(IsolationEntry.Isolated, record!.State);
        // The originals the first container recorded are what a release will restore.
        Assert.Equal(["sg-0db000000000000a2"], record.Interfaces.Single().Groups);

        stopped.SetResult();
        await dying.WaitAsync(Hang);
    }
}
