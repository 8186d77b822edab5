using System.Diagnostics;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// Slow AWS in real time, the way users live with it: the real EC2 and Systems Manager SDK clients (marshalling,
/// signing, retries, unmarshalling) over an HTTP handler that holds every request back, against a loopback AWS API
/// emulator (<see cref="EmulatedAws"/>). No fake clock: each turn is timed with a stopwatch, so what the fake-clock
/// tests in this folder cannot see (thread hops, the SDK's own pipeline, the deadline firing for real) shows here.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class RealTimeSlowAwsTests : IDisposable
{
    // Alexa's 8 s, less nothing: the skill's 7 s budget is what it aims for; this is what the user would live with.
    private static readonly TimeSpan AlexaGivesUp = TimeSpan.FromSeconds(8);

    private readonly EmulatedAws _aws = new();

    public void Dispose() => _aws.Dispose();

    private SkillDriver Driver(TimeSpan delay)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
            ["STATE_TABLE"] = SecurityAlexa.Tests.State.FakeDynamoDb.DefaultTable,
        };
        var state = new SecurityAlexa.Tests.State.FakeDynamoDb();
        var services = AwsServices.Create(SkillConfig.FromEnvironment(env), new AwsClients(FakeAws.Region, _aws.Ec2(delay), _aws.Ssm(delay), state.Client), FakeAws.NoDelay);
        // The emulated VPC's groups are the skill's: the table recorded them when it created them.
        Isolation.IsolationTables.RecordGroupsAsync(services.State!, EmulatedAws.Vpc, EmulatedAws.IsolationGroupId, EmulatedAws.AllowAllGroupId,
            DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        return new SkillDriver(services, time: TimeProvider.System, environment: env);
    }

    private static AlexaRequests Isolate() =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null), ("Reason", "incident 42"), ("ConfirmCount", null), ("SecurityCode", null));

    private static AlexaRequests Patch(string? selection) =>
        AlexaRequests.Intent("PatchIntent", ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null), ("Scope", null),
            ("Selection", selection), ("ExceptName", null), ("ConfirmCount", null), ("SecurityCode", null));

    private static async Task<(AlexaReply Reply, TimeSpan Took)> TimedAsync(SkillDriver driver, AlexaRequests request)
    {
        var started = Stopwatch.GetTimestamp();
        var reply = await driver.SayAsync(request);
        return (reply, Stopwatch.GetElapsedTime(started));
    }

    private static string Web1Eni => EmulatedAws.Eni(EmulatedAws.Instances[0].Id);

    // What must hold after any turn: web-1's interface is never in the allow-all group, and it is moved only with its record.
    private void AssertSafe()
    {
        var groups = _aws.GroupsOf(Web1Eni);
        Assert.DoesNotContain(EmulatedAws.AllowAllGroupId, groups);
        if (groups.Contains(EmulatedAws.IsolationGroupId))
            Assert.Contains(_aws.TagsOf(Web1Eni).Keys, k => k.StartsWith("SecurityAlexa:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IsolateOne_WhenAwsAnswersIn100Ms_ReadsBackAndIsolatesThroughTheRealClients()
    {
        var driver = Driver(TimeSpan.FromMilliseconds(100));

        var (readBack, _) = await TimedAsync(driver, Isolate());
        var (done, _) = await TimedAsync(driver, Isolate().Confirmation("CONFIRMED").Dialog("IN_PROGRESS"));

        Assert.Contains("Shall I go ahead", readBack.Speech, StringComparison.Ordinal);
        Assert.StartsWith("Done.", done.Speech, StringComparison.Ordinal);
        Assert.Equal([EmulatedAws.IsolationGroupId], _aws.GroupsOf(Web1Eni));
        Assert.True(_aws.IsProtected(EmulatedAws.Instances[0].Id));
        // The interface's original group was recorded on it before it moved.
        Assert.Contains(_aws.TagsOf(Web1Eni), t => t.Value.Contains(EmulatedAws.WebGroupId, StringComparison.Ordinal));
        AssertSafe();
    }

    [Fact]
    public async Task IsolateOne_WhenEveryCallTakesTwoSeconds_EachTurnAnswersBeforeAlexaGivesUpAndNothingIsLeftOpen()
    {
        var driver = Driver(TimeSpan.FromSeconds(2));

        var (readBack, readBackTook) = await TimedAsync(driver, Isolate());
        AssertSafe();
        Assert.InRange(readBackTook, TimeSpan.Zero, AlexaGivesUp);
        // The read-back is three round trips (replay claim, tag names, the instance): 6 s of a 7 s budget, and the real stack
        // adds its own time, so on a busy machine it may say plainly that AWS was too slow (issue 18; the bench measures it).
        if (!readBack.Speech.Contains("Shall I go ahead", StringComparison.Ordinal))
        {
            Assert.True(readBack.Speech.Contains("in time", StringComparison.Ordinal), $"{readBackTook.TotalMilliseconds:0} ms: {readBack.Speech} / {Errors(driver)}");
            Assert.DoesNotContain(_aws.Calls, c => c is "ec2:CreateTags" or "ec2:ModifyNetworkInterfaceAttribute" or "ec2:ModifyInstanceAttribute");
            return;
        }

        var (answer, took) = await TimedAsync(driver, Isolate().Confirmation("CONFIRMED").Dialog("IN_PROGRESS"));
        AssertSafe();
        Assert.InRange(took, TimeSpan.Zero, AlexaGivesUp);
        // Finished, or handed to the tag-event path and said so (issue 18's target is "finished"; the bench reports it).
        if (answer.Speech.StartsWith("Done.", StringComparison.Ordinal))
        {
            Assert.Equal([EmulatedAws.IsolationGroupId], _aws.GroupsOf(Web1Eni));
        }
        else if (answer.Speech.Contains("in the background", StringComparison.Ordinal))
        {
            Assert.Equal(new IsolationOptions().TriggerTagValue, _aws.TagsOf(EmulatedAws.Instances[0].Id).GetValueOrDefault(new IsolationOptions().TriggerTagKey));
        }
        else
        {
            // Even the hand-over ran out of time: said plainly, and nothing moved.
            Assert.True(answer.Speech.Contains("again to finish", StringComparison.Ordinal), $"{took.TotalMilliseconds:0} ms: {answer.Speech} / {Errors(driver)}");
            Assert.DoesNotContain("ec2:ModifyNetworkInterfaceAttribute", _aws.Calls);
        }
    }

    // The log lines that explain an unexpected answer.
    private static string Errors(SkillDriver driver) =>
        string.Join('\n', driver.Log.Lines.Where(l => l.Contains("\"error\":\"", StringComparison.Ordinal) || l.Contains("xception", StringComparison.Ordinal)));

    [Fact]
    public async Task PatchByTag_WhenEveryCallTakesTwoSeconds_EachTurnAnswersBeforeAlexaGivesUpAndSendsNothing()
    {
        var driver = Driver(TimeSpan.FromSeconds(2));

        var (first, took) = await TimedAsync(driver, Patch(null));
        Assert.InRange(took, TimeSpan.Zero, AlexaGivesUp);
        // "Which ones?", or a plain account of what AWS did not answer in time: never silence, never an error.
        Assert.True(first.Speech.Contains("Which ones", StringComparison.Ordinal) || first.Speech.Contains("in time", StringComparison.Ordinal), $"{first.Speech} / {Errors(driver)}");
        if (first.Speech.Contains("Which ones", StringComparison.Ordinal))
        {
            var (readBack, readBackTook) = await TimedAsync(driver, Patch("all of them").Dialog("IN_PROGRESS"));
            Assert.InRange(readBackTook, TimeSpan.Zero, AlexaGivesUp);
            Assert.NotEmpty(readBack.Speech);
        }
        // Nothing was confirmed, so nothing may have been sent.
        Assert.DoesNotContain("ssm:SendCommand", _aws.Calls);
    }

    [Fact]
    public async Task PatchByTag_WhenAwsAnswersIn100Ms_ReachesTheReadBackThroughTheRealClients()
    {
        var driver = Driver(TimeSpan.FromMilliseconds(100));

        var first = await driver.SayAsync(Patch(null));
        var readBack = await driver.SayAsync(Patch("all of them").Dialog("IN_PROGRESS"));

        Assert.Contains("Which ones", first.Speech, StringComparison.Ordinal);
        Assert.Contains("Shall I", readBack.Speech, StringComparison.Ordinal);
        Assert.Contains("ssm:DescribeInstanceInformation", _aws.Calls);
        Assert.DoesNotContain("ssm:SendCommand", _aws.Calls);
    }
}
