using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Skill;

/// <summary>
/// The deadline runs on a fake clock: the tests move time on by hand, so nothing here depends on
/// how fast the machine is. Real-time waits only guard against a hang.
/// </summary>
public sealed class DeadlineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    // Defaults: 7 s budget, 800 ms margin, so the token fires 6.2 s after arrival; a handler that
    // ignores it is abandoned 300 ms later.
    private static readonly TimeSpan TokenFires = TimeSpan.FromMilliseconds(6200);
    private static readonly TimeSpan Abandoned = TimeSpan.FromMilliseconds(6500);

    [Fact]
    public async Task HandleAsync_WhenHandlerHonoursTokenAndDeadlinePasses_AnswersWithTimeoutSentence()
    {
        var time = new FakeTimeProvider(Start);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var honouring = DelegateHandler.ForIntent("ScanIntent", async turn =>
        {
            started.SetResult();
            await Task.Delay(TimeSpan.FromMinutes(5), turn.Time, turn.Cancellation);
            return Reply.Tell(Spoken.Plain("finished"));
        });
        var driver = new SkillDriver(time: time, extraHandlers: [honouring]);

        var replying = driver.SendAsync(AlexaRequests.Intent("ScanIntent"));
        await started.Task.WaitAsync(Hang);
        time.Advance(TokenFires - TimeSpan.FromMilliseconds(1));
        Assert.False(replying.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var reply = (await replying.WaitAsync(Hang)).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("error.timeout"), reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.Equal("deadline", (string?)Assert.Single(driver.LogsOf("invocation"))["outcome"]);
    }

    [Fact]
    public async Task HandleAsync_WhenHandlerIgnoresToken_IsAbandonedShortlyAfterDeadlineWellInsideEightSeconds()
    {
        var time = new FakeTimeProvider(Start);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<Reply>();
        CancellationToken seen = default;
        var ignoring = DelegateHandler.ForIntent("ScanIntent", turn =>
        {
            seen = turn.Cancellation;
            started.SetResult();
            return never.Task;
        });
        var driver = new SkillDriver(time: time, extraHandlers: [ignoring]);

        var replying = driver.SendAsync(AlexaRequests.Intent("ScanIntent"));
        await started.Task.WaitAsync(Hang);
        time.Advance(TokenFires);
        Assert.True(seen.IsCancellationRequested);
        time.Advance(Abandoned - TokenFires - TimeSpan.FromMilliseconds(1));
        Assert.False(replying.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var reply = (await replying.WaitAsync(Hang)).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("error.timeout"), reply.Speech);
        Assert.True(time.GetUtcNow() - Start < TimeSpan.FromSeconds(8));
        // The abandoned handler finishing later changes nothing.
        never.SetResult(Reply.Tell(Spoken.Plain("too late")));
    }

    [Fact]
    public async Task HandleAsync_WhenLambdaDeadlineIsEarlierThanBudget_TokenFiresAtLambdaDeadlineMinusMargin()
    {
        var time = new FakeTimeProvider(Start);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var honouring = DelegateHandler.ForIntent("ScanIntent", async turn =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, turn.Time, turn.Cancellation);
            return Reply.Tell(Spoken.Plain("finished"));
        });
        var driver = new SkillDriver(time: time, extraHandlers: [honouring]);
        var lambdaDeadline = Start + TimeSpan.FromSeconds(3);

        var replying = driver.Host.Dispatcher.InvokeAsync(
            System.Text.Encoding.UTF8.GetBytes(AlexaRequests.Intent("ScanIntent").At(Start).Json), new InvocationInfo("lambda-req-1", lambdaDeadline));
        await started.Task.WaitAsync(Hang);
        time.Advance(TimeSpan.FromMilliseconds(2199));
        Assert.False(replying.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var reply = new AlexaReply(System.Text.Encoding.UTF8.GetString(await replying.WaitAsync(Hang)));

        Assert.Equal(driver.Lang.Text("error.timeout"), reply.Speech);
        var summary = Assert.Single(driver.LogsOf("invocation"));
        Assert.Equal("lambda-req-1", (string?)summary["lambdaRequestId"]);
        Assert.Equal(Start + TimeSpan.FromMilliseconds(2200), DateTimeOffset.Parse((string)summary["deadline"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task HandleAsync_WhenGuardIgnoresToken_IsStillAnsweredInTime()
    {
        var time = new FakeTimeProvider(Start);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<Reply?>();
        var guard = new Mock<IRequestGuard>();
        guard.Setup(g => g.CheckAsync(It.IsAny<TurnContext>(), It.IsAny<IRequestHandler>()))
            .Returns(() => { started.TrySetResult(); return new ValueTask<Reply?>(never.Task); });
        var handler = DelegateHandler.ForIntent("ScanIntent", _ => Reply.Tell(Spoken.Plain("acted")));
        var config = SkillConfig.FromEnvironment(new Dictionary<string, string> { ["SKILL_ID"] = AlexaRequests.SkillId });
        var log = new MemoryLogSink();
        var speech = SecurityAlexa.Skill.Speech.SpeechCatalog.LoadEmbedded();
        var pipeline = new SkillPipeline(config, speech, [handler], [guard.Object],
            new SessionStore(new byte[32]), new SkillLog(log, time), time, _ => SecurityAlexa.Alexa.NoProgressiveResponse.Instance);
        var request = System.Text.Json.JsonSerializer.Deserialize(AlexaRequests.Intent("ScanIntent").At(Start).Json, SecurityAlexa.Alexa.AlexaJsonContext.Default.SkillRequest)!;

        var replying = pipeline.HandleAsync(request, new InvocationInfo());
        await started.Task.WaitAsync(Hang);
        time.Advance(Abandoned);
        var response = await replying.WaitAsync(Hang);

        Assert.Equal(speech.For("en-US").Text("error.timeout"), response.Response.OutputSpeech!.SpokenText);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public void Start_WhenNoLambdaDeadline_FiresBudgetMinusMarginAfterArrival()
    {
        var time = new FakeTimeProvider(Start);
        var config = SkillConfig.FromEnvironment(new Dictionary<string, string> { ["RESPONSE_BUDGET_MS"] = "5000", ["DEADLINE_MARGIN_MS"] = "500" });

        using var deadline = RequestDeadline.Start(time, config, lambdaDeadline: null);

        Assert.Equal(Start + TimeSpan.FromMilliseconds(4500), deadline.At);
        time.Advance(TimeSpan.FromMilliseconds(4499));
        Assert.False(deadline.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void Start_WhenLambdaDeadlineHasAlreadyPassed_FiresAtOnce()
    {
        var time = new FakeTimeProvider(Start);

        using var deadline = RequestDeadline.Start(time, SkillConfig.FromEnvironment(new Dictionary<string, string>()), Start - TimeSpan.FromSeconds(1));

        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void Start_WhenOuterTokenIsCancelled_CancelsTheRequest()
    {
        var time = new FakeTimeProvider(Start);
        using var outer = new CancellationTokenSource();

        using var deadline = RequestDeadline.Start(time, SkillConfig.FromEnvironment(new Dictionary<string, string>()), null, outer.Token);
        outer.Cancel();

        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Theory]
    [InlineData(null, null, 7000, 800)]
    [InlineData("6000", "500", 6000, 500)]
    [InlineData("30000", null, 8000, 800)]
    [InlineData("1000", "1000", 1000, 250)]
    [InlineData("abc", "-5", 7000, 800)]
    public void FromEnvironment_WhenTimingSettingsVary_KeepsTheDeadlineInsideAlexasWait(string? budget, string? margin, int expectedBudgetMs, int expectedMarginMs)
    {
        var env = new Dictionary<string, string>();
        if (budget is not null) env["RESPONSE_BUDGET_MS"] = budget;
        if (margin is not null) env["DEADLINE_MARGIN_MS"] = margin;

        var config = SkillConfig.FromEnvironment(env);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedBudgetMs), config.ResponseBudget);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMarginMs), config.DeadlineMargin);
    }
}
