using System.Net;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Moq;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.State;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Faults;

/// <summary>
/// AWS failing under the security layer and the pipeline: throttling, access denied, a 500, a time-out
/// and a failure in the middle of a multi-step change. Each gives a correct spoken account, changes
/// nothing it should not, and loses no state (lockouts, claims, the audit of what was done).
/// Capability-specific faults (a patch that fails on one instance of three) belong with the handlers.
/// </summary>
public sealed class PipelineFaultTests
{
    private const string Prefix = "I couldn't finish my security checks, so I changed nothing.";
    private static readonly Dictionary<string, string> CodeOn = new() { ["SECURITY_CODE"] = "mutating" };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var point in new[] { "replay-claim", "lockout-read", "code-read", "failure-write", "lockout-clear" })
            foreach (var fault in new[] { "throttled", "denied", "server-error", "sdk-timeout" })
                data.Add(point, fault);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task HandleAsync_WhenTheStateTableOrParameterStoreFailsDuringASecurityCheck_SaysWhatFailedAndChangesNothing(string point, string fault)
    {
        using var h = new HostileHarness(CodeOn);
        var (operation, request) = await ArrangeAsync(h, point);
        var (service, failOp, prefix) = operation;
        if (service == "ssm") h.Ssm.FailNext(failOp, Fault(fault), prefix);
        else h.State.FailNext(failOp, DynamoFault(fault), prefix);

        var reply = await h.Driver.SayAsync(request);

        var ssmOperation = service + ":" + failOp;
        Assert.Equal(Prefix + " " + Expected(fault, ssmOperation), reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.Empty(h.MutatingCalls);
        h.AssertNoException();
        var audit = LastAudit(h);
        Assert.Equal("check-failed", (string?)audit["refusedBy"]);
        Assert.StartsWith("security-aws-", (string?)audit["outcome"]);
        Assert.Contains(audit["awsCalls"]!.AsArray(), c => (string?)c!["operation"] == ssmOperation && c["error"] is not null);
    }

    [Theory]
    [InlineData("replay-claim")]
    [InlineData("lockout-read")]
    public async Task HandleAsync_WhenTheStateTableHangsUntilTheDeadline_SaysItTimedOutInsteadOfHanging(string point)
    {
        using var h = new HostileHarness(CodeOn);
        var ((_, op, prefix), request) = await ArrangeAsync(h, point);
        h.State.HangNext(op, prefix);

        var pending = h.Driver.SayAsync(request);
        await h.State.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Just past the deadline (budget 7 s minus 0.8 s margin), before the watchdog's grace runs out.
        h.Time.Advance(TimeSpan.FromMilliseconds(6300));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Prefix + " AWS didn't answer dynamodb:" + op + " in time. Please try again in a moment.", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task HandleAsync_WhenRecordingAWrongCodeFails_TheEarlierFailuresAreKeptAndStillCount()
    {
        using var h = new HostileHarness(CodeOn);
        await h.Driver.SayAsync(Isolate("1111"));
        await h.Driver.SayAsync(Isolate("2222"));
        h.State.FailNext("UpdateItem", DynamoFault("throttled"), "code#speaker#");

        var failed = await h.Driver.SayAsync(Isolate("3333"));
        h.Driver.EndSession();
        var next = await h.Driver.SayAsync(Isolate("4444"));

        Assert.StartsWith(Prefix, failed.Speech);
        Assert.StartsWith("That code isn't right either, so I've locked changes", next.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenClearingTheCountAfterTheRightCodeFails_DoesNotTreatTheSpeakerAsVerified()
    {
        using var h = new HostileHarness(CodeOn);
        await h.Driver.SayAsync(Isolate("1111"));
        h.State.FailNext("UpdateItem", DynamoFault("server-error"), "code#speaker#");

        var failed = await h.Driver.SayAsync(Isolate(HostileHarness.SecurityCode));
        h.Driver.EndSession();
        var again = await h.Driver.SayAsync(Isolate());

        Assert.StartsWith(Prefix, failed.Speech);
        Assert.Null(failed.SessionAttributes);
        Assert.Equal("Before I change anything, what's your four-digit security code?", again.Speech);
        Assert.Equal("1", h.State.Item(StateKeys.CodeAttempts(IdentityHash.Of(AlexaRequests.PersonId)!))!["failures"]);
    }

    [Fact]
    public async Task HandleAsync_AfterAThrottledConfirmation_AFreshAttemptActsExactlyOnce()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        h.State.FailNext("PutItem", DynamoFault("throttled"), "claim#requests#");

        var throttled = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes));
        var again = await h.ReadBackAsync("IsolateIntent", "web-1");
        var done = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", again));

        Assert.StartsWith(Prefix + " AWS is limiting", throttled.Speech);
        Assert.StartsWith("Done.", done.Speech);
        Assert.Equal([HostileHarness.IdOf("web-1")], h.TouchedInstances);
    }

    [Fact]
    public async Task HandleAsync_WhenOneStepOfAChangeIsThrottled_SpeaksWhatWasDoneAndAuditsEveryStep()
    {
        using var h = new HostileHarness();
        var apiEni = h.InterfacesOf("api-1").Single();
        h.Net.Fail("ModifyNetworkInterfaceAttribute", "RequestLimitExceeded", r => r is ModifyNetworkInterfaceAttributeRequest m && m.NetworkInterfaceId == apiEni, times: 1);
        await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("TagKey", "environment"), ("TagValue", "staging")));

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("TagKey", "environment"), ("TagValue", "staging")).Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. 1 instance is isolated: web-3.", reply.Speech);
        Assert.Contains("api-1", reply.Speech);
        var audit = LastAudit(h);
        Assert.Equal("isolated-partly", (string?)audit["outcome"]);
        Assert.Equal(2, (int?)audit["targetCount"]);
        var moves = audit["awsCalls"]!.AsArray().Where(c => (string?)c!["operation"] == "ec2:ModifyNetworkInterfaceAttribute")
            .Select(c => ((string?)c!["requestId"], (string?)c["error"])).ToList();
        // web-3: two moves; api-1: the first move, refused.
        Assert.Equal(3, moves.Count);
        Assert.All(moves, m => Assert.StartsWith("ec2-", m.Item1));
        Assert.Single(moves, m => m.Item2 == "RequestLimitExceeded");
        h.AssertNoException();
    }

    [Fact]
    public async Task HandleAsync_WhenAChangeHandlerThrows_TheAuditRecordCarriesTheSpokenReference()
    {
        using var h = new HostileHarness(extraHandlers: [new ThrowingHandler()]);

        var reply = await h.Driver.SendAsync(HostileHarness.Say("EnableScanningIntent"));

        var audit = LastAudit(h);
        var reference = (string?)audit["errorRef"];
        Assert.NotNull(reference);
        Assert.Equal($"Sorry, something went wrong on my side. If you report it, the reference is {reference}.", reply.Speech);
        Assert.Equal("error", (string?)audit["outcome"]);
    }

    [Fact]
    public async Task HandleAsync_WhenAChangeHandlerRunsPastTheDeadline_AnswersInTimeAndAuditsTheDeadline()
    {
        var handler = new HangingHandler();
        using var h = new HostileHarness(extraHandlers: [handler]);

        var pending = h.Driver.SendAsync(HostileHarness.Say("EnableScanningIntent"));
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        h.Time.Advance(TimeSpan.FromSeconds(8));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("That's taking longer than I'm allowed to wait. Please ask again in a moment.", reply.Speech);
        Assert.Equal("deadline", (string?)LastAudit(h)["outcome"]);
    }

    private static AlexaRequests Isolate(string? code = null) =>
        HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("SecurityCode", code));

    // Which call to break, and the request that reaches it.
    private static async Task<((string Service, string Operation, string Prefix), AlexaRequests)> ArrangeAsync(HostileHarness h, string point)
    {
        switch (point)
        {
            case "replay-claim":
                return (("dynamodb", "PutItem", "claim#requests#"), Isolate());
            case "lockout-read":
                return (("dynamodb", "GetItem", "code#speaker#"), Isolate());
            case "code-read":
                return (("ssm", "GetParameter", HostileHarness.CodeParameter), Isolate(HostileHarness.SecurityCode));
            case "failure-write":
                return (("dynamodb", "UpdateItem", "code#speaker#"), Isolate("1111"));
            default:
                await h.Driver.SayAsync(Isolate("1111"));
                return (("dynamodb", "UpdateItem", "code#speaker#"), Isolate(HostileHarness.SecurityCode));
        }
    }

    private static Exception DynamoFault(string kind) => kind switch
    {
        "throttled" => FakeDynamoDb.ServiceError("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest),
        "denied" => FakeDynamoDb.ServiceError("AccessDeniedException", HttpStatusCode.BadRequest),
        "server-error" => FakeDynamoDb.ServiceError("InternalServerError", HttpStatusCode.InternalServerError),
        _ => new TaskCanceledException("The request timed out (SDK HTTP timeout)."),
    };

    private static Exception Fault(string kind) => kind switch
    {
        "throttled" => FakeSsm.ServiceError("ThrottlingException", HttpStatusCode.BadRequest),
        "denied" => FakeSsm.ServiceError("AccessDeniedException", HttpStatusCode.BadRequest),
        "server-error" => FakeSsm.ServiceError("InternalServerError", HttpStatusCode.InternalServerError),
        _ => new TaskCanceledException("The request timed out (SDK HTTP timeout)."),
    };

    private static string Expected(string fault, string operation) => fault switch
    {
        "throttled" => "AWS is limiting how fast I can call it right now. Please try again in a minute.",
        "denied" => $"I'm not allowed to call {operation}. Add that permission to the function's role, then try again.",
        "server-error" => $"AWS had a problem answering {operation}. Please try again in a minute.",
        _ => $"AWS didn't answer {operation} in time. Please try again in a moment.",
    };

    private static JsonObject LastAudit(HostileHarness h) =>
        JsonNode.Parse(h.Driver.Log.Lines.Last(l => l.Contains("\"kind\":\"audit\"")))!.AsObject();

    private sealed class ThrowingHandler : IntentHandler
    {
        public override IReadOnlyList<string> Intents { get; } = ["EnableScanningIntent"];

        public override bool Mutates => true;

        public override Task<Reply> HandleAsync(TurnContext turn) => throw new InvalidOperationException("boom");
    }

    private sealed class HangingHandler : IntentHandler
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override IReadOnlyList<string> Intents { get; } = ["EnableScanningIntent"];

        public override bool Mutates => true;

        public override async Task<Reply> HandleAsync(TurnContext turn)
        {
            Started.TrySetResult();
            // Ignores its token on purpose: the pipeline must still answer.
            await new TaskCompletionSource().Task;
            return Reply.Tell("never");
        }
    }
}
