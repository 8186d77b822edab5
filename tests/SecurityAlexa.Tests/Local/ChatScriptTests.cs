using SecurityAlexa.Local;
using SecurityAlexa.Tests.Shipping;

namespace SecurityAlexa.Tests.Local;

/// <summary>Scripted conversations through the local runner's chat, against the sandbox account.</summary>
public sealed class ChatScriptTests
{
    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "conversations", name);

    private static async Task<(int Exit, string Out, string Err)> ChatAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await LocalRunner.RunAsync(["chat", "--sandbox", .. args], new StringReader(""), stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Chat_WhenScriptedWithTheBuiltIns_HoldsTheConversationAndMeetsEveryExpectation()
    {
        var (exit, output, errors) = await ChatAsync("--script", Script("built-ins.txt"));

        Assert.True(exit == 0, output + errors);
        Assert.Contains("You: open security assistant\nAlexa: Security assistant here.", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Alexa: Goodbye.\n(session ended)", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("(sandbox clock moved on 10m)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WhenScriptedAcrossAccounts_AsksWhichAccountNamesItInReadBacksAndActsOnlyThere()
    {
        var (exit, output, errors) = await ChatAsync("--accounts", "--script", Script("accounts.txt"));

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        // The isolation went to payments' web-1 (its own id), never to home's, and its post says where.
        Assert.Contains("(chat channel) [payments 444455556666, us-east-1] Isolated web-1 (i-0f9e8d7c6b5a40001)", output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("i-0a1b2c3d4e5f60001", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WhenAnExpectationIsNotMet_SaysWhichAndExitsWithOne()
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "open security assistant\n=> something Alexa never says\n=>! Security assistant\n");
        try
        {
            var (exit, output, _) = await ChatAsync("--script", script);

            Assert.Equal(1, exit);
            Assert.Contains("EXPECTATION FAILED (line 2)", output, StringComparison.Ordinal);
            Assert.Contains("EXPECTATION FAILED (line 3)", output, StringComparison.Ordinal);
            Assert.Contains("2 expectation(s) failed.", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task Chat_WhenInputIsPiped_ReadsEachLineAsAnUtterance()
    {
        using var stdout = new StringWriter();
        var exit = await LocalRunner.RunAsync(["chat", "--sandbox"], new StringReader("open security assistant\nstop\n"), stdout, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("You: stop", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("Alexa: Goodbye.", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WhenTheModelFileIsMissing_ExitsWithTwoAndSaysSo()
    {
        using var stderr = new StringWriter();
        var exit = await LocalRunner.RunAsync(["chat", "--sandbox", "--model", "/nonexistent/en-US.json"], new StringReader(""), TextWriter.Null, stderr, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("Cannot read the interaction model", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WhenScriptedWithContainment_SaysStandbyAndDeregistrationAndReleaseBringsThemBack()
    {
        var (exit, output, errors) = await ChatAsync("--script", Script("containment.txt"));

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.Contains("(chat channel) Containment of web-1 (i-0a1b2c3d4e5f60001): Scale-in protection web-asg done; Auto Scaling standby web-asg done", output,
            StringComparison.Ordinal);
        Assert.Contains("Auto Scaling standby web-asg undone", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WhenAnIsolationRunsOutOfTurn_ItContinuesFromTheQueueAndIsFinishedAfterAWait()
    {
        var (exit, output, errors) = await ChatAsync("--aws-latency", "100", "--script", Script("background-isolation.txt"));

        Assert.True(exit == 0, output + errors);
        // How many fit in the turn depends on the machine's real time as well; that the rest finish from the queue does not.
        Assert.Matches(@"\(work queue: [1-3] message\(s\) delivered to the function; 0 still queued, 0 in the dead-letter queue\)", output);
        // One invocation finished the batch: a queued batch has the function's timeout, not a turn's budget.
        Assert.Single(output.Split('\n'), l => l.Contains("(work queue:", StringComparison.Ordinal));
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.Contains("in the background, from the work queue.", output);
    }

    [AllCapabilitiesFact]
    public async Task Chat_WhenScriptedWithTheWholeStory_ScansPatchesIsolatesAndReleasesWithoutAnError()
    {
        var (exit, output, errors) = await ChatAsync("--script", Script("whole-story.txt"));

        // The script's => lines pin the key sentences; a failed one makes the exit code 1.
        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("I can't do that yet", output, StringComparison.Ordinal);
        Assert.DoesNotContain("something went wrong", output, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing waiting for a yes", output, StringComparison.Ordinal);
        // One conversation from open to stop: the session ends only at the goodbye.
        Assert.Single(output.Split('\n'), l => l.TrimEnd('\r') == "(session ended)");
        Assert.EndsWith("Alexa: Goodbye.\n(session ended)", output.ReplaceLineEndings("\n").TrimEnd(), StringComparison.Ordinal);
        // Isolate, release and patch each posted to the team's chat channel.
        Assert.Contains("(chat channel) Patching started by voice", output, StringComparison.Ordinal);
        Assert.Contains("(chat channel) Isolated web-1", output, StringComparison.Ordinal);
        Assert.Contains("(chat channel) Released web-1", output, StringComparison.Ordinal);
    }

    [AllCapabilitiesFact]
    public async Task Chat_WhenAskedTheWaysANewUserAsks_UnderstandsEachAndMeetsEveryExpectation()
    {
        var (exit, output, errors) = await ChatAsync("--script", Script("wider-en.txt"));

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("didn't catch that", output, StringComparison.Ordinal);
        Assert.DoesNotContain("I can't do that yet", output, StringComparison.Ordinal);
    }

    [AllCapabilitiesFact]
    public async Task Chat_WhenScriptedWithTheWholeStoryInJapanese_PlaysItInJapaneseWithoutAnEnglishSentence()
    {
        var (exit, output, errors) = await ChatAsync("--locale", "ja-JP", "--script", Script("whole-story.ja-JP.txt"));

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        // Every turn was understood and answered in Japanese: no fallback, no English sentence anywhere Alexa speaks.
        var said = lines.Where(l => l.StartsWith("Alexa", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines.Count(l => l.StartsWith("You: ", StringComparison.Ordinal)), said.Count(l => l.StartsWith("Alexa: ", StringComparison.Ordinal)));
        Assert.All(said, l => Assert.False(Skill.JapaneseSpeechTests.HasEnglishSentence(l, out var run), $"{l}: \"{run}\""));
        Assert.DoesNotContain("聞き取れませんでした", output, StringComparison.Ordinal);
        Assert.DoesNotContain("こちらで問題が起きました", output, StringComparison.Ordinal);
        Assert.Single(lines, l => l == "(session ended)");
        Assert.EndsWith("Alexa: 終了します。\n(session ended)", string.Join('\n', lines).TrimEnd(), StringComparison.Ordinal);
        // The chat channel hears it in the language it was asked in.
        Assert.Contains("(chat channel) パッチ適用を開始しました", output, StringComparison.Ordinal);
        Assert.Contains("(chat channel) web-1（i-0a1b2c3d4e5f60001）をvpc-0a11prodで隔離しました", output, StringComparison.Ordinal);
    }

    [AllCapabilitiesFact]
    public async Task Chat_WithTheSecurityCodeOnAndFourInstances_ElicitsTheCodeOnEveryMutatingIntentAndTheCountBack()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string>(SecurityAlexa.Skill.SkillConfig.ProcessEnvironment(), StringComparer.Ordinal)
        {
            ["SECURITY_CODE"] = "mutating",
        };

        var exit = await LocalRunner.RunAsync(["chat", "--sandbox", "--script", Script("security-code-and-count.txt")], new StringReader(""), stdout, stderr,
            environment, CancellationToken.None);

        var output = stdout.ToString();
        Assert.True(exit == 0, output + stderr);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("didn't catch that", output, StringComparison.Ordinal);
    }

    [AllCapabilitiesFact]
    public async Task Chat_InJapaneseWithTheSecurityCodeOn_TakesTheCodeAndTheCountInKanjiNumerals()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string>(SecurityAlexa.Skill.SkillConfig.ProcessEnvironment(), StringComparer.Ordinal)
        {
            ["SECURITY_CODE"] = "mutating",
        };

        var exit = await LocalRunner.RunAsync(["chat", "--sandbox", "--locale", "ja-JP", "--script", Script("security-code-and-count.ja-JP.txt")],
            new StringReader(""), stdout, stderr, environment, CancellationToken.None);

        var output = stdout.ToString();
        Assert.True(exit == 0, output + stderr);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("コードが違います", output, StringComparison.Ordinal);
        Assert.DoesNotContain("聞き取れませんでした", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("90s", 90)]
    [InlineData("2h", 7200)]
    public void TryDuration_ForWaitLines_ReadsTheDuration(string text, int seconds)
    {
        Assert.True(SecurityAlexa.Local.Chat.ChatCommand.TryDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }
}
