using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// Isolation when every AWS call takes 2 s (fake clock; the isolation tests' stateful EC2 fake behind the real adapters,
/// and the security layer's state table claim): every turn answers inside the budget, finishes or says how to go on,
/// and never leaves a network interface in the allow-all group, which lets every flow in.
/// </summary>
public sealed class SlowIsolationTests
{
    private readonly SlowAws _aws = new();
    private readonly Ec2Network _net = Ec2Network.Standard();
    private readonly SkillDriver _driver;

    public SlowIsolationTests()
    {
        _net.OnCall = (operation, _) => _aws.CallAsync("ec2:" + operation, CancellationToken.None);
        var ssm = _aws.Ssm(new SsmPatchFake());
        var directory = new Ec2InstanceDirectory(() => _net.Client);
        _driver = new SkillDriver(new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory, _aws.Time),
            Isolation = new Ec2IsolationAccount(_net.Client),
            WorkQueue = new RecordingWorkQueue(),
            Parameters = new SsmParameterStore(() => ssm),
            State = _aws.State(),
        }, time: _aws.Time);
    }

    private TimeSpan Budget => _driver.Host.Config.ResponseBudget;

    private static AlexaRequests Isolate() =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null), ("Reason", "incident 42"));

    private static AlexaRequests Release() =>
        AlexaRequests.Intent("ReleaseIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null));

    // No interface may sit in the skill's allow-all group when a turn has answered: that group lets all traffic in.
    private void AssertNoInterfaceLeftOpen()
    {
        var allowAll = _net.SkillGroup(IsolationRecord.AllowAllRole)?.Id;
        if (allowAll is null) return;
        Assert.All(_net.Interfaces.Values, e => Assert.DoesNotContain(allowAll, e.Groups));
    }

    // A user who does what the skill says: answers the question, or asks again when told to (a new request id).
    private async Task<List<(AlexaReply Reply, TimeSpan Waited)>> ConverseAsync(params Func<AlexaRequests>[] turns)
    {
        var heard = new List<(AlexaReply, TimeSpan)>();
        foreach (var make in turns)
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var (reply, waited) = await _aws.SayAsync(_driver, make());
                heard.Add((reply, waited));
                Assert.InRange(waited, TimeSpan.Zero, Budget);
                AssertNoInterfaceLeftOpen();
                if (!reply.Speech.Contains("again", StringComparison.Ordinal)) break;
            }
        }
        return heard;
    }

    [Fact]
    public async Task IsolateThenRelease_WhenEveryCallTakesTwoSeconds_EachTurnAnswersInTimeAndNoInterfaceIsLeftOpen()
    {
        var heard = await ConverseAsync(Isolate, () => Isolate().Confirmation("CONFIRMED"));

        // Finished, continuing in the background, or a plain "say it again": never silence and never a half-open interface.
        var last = heard[^1].Reply.Speech;
        Assert.True(last.StartsWith("Done.", StringComparison.Ordinal) || last.Contains("background", StringComparison.Ordinal)
            || last.Contains("again", StringComparison.Ordinal), "Unclear answer: " + last);

        heard = await ConverseAsync(Release, () => Release().Confirmation("CONFIRMED"));
        Assert.All(heard, h => Assert.NotEmpty(h.Reply.Speech));
    }

    [Fact]
    public async Task IsolationStatus_WhenAwsIsSlow_AnswersInTime()
    {
        var (reply, waited) = await _aws.SayAsync(_driver, AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.InRange(waited, TimeSpan.Zero, Budget);
        Assert.Equal("No instances are isolated.", reply.Speech);
    }
}
