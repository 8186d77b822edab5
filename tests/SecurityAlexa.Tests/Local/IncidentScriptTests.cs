using SecurityAlexa.Local;

namespace SecurityAlexa.Tests.Local;

/// <summary>
/// The whole incident of issue 15 §4 (who is hitting web-1, block the top one, isolate with containment, a ticket, release,
/// unblock), scripted through the local runner's chat against the sandbox account, in English and Japanese.
/// </summary>
public sealed class IncidentScriptTests
{
    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "conversations", name);

    private static async Task<(int Exit, string Out)> ChatAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await LocalRunner.RunAsync(["chat", "--sandbox", .. args], new StringReader(""), stdout, stderr, CancellationToken.None);
        return (exit, stdout + stderr.ToString());
    }

    [Fact]
    public async Task Chat_WhenScriptedWithTheWholeIncident_BlocksIsolatesWithContainmentTicketsAndBringsEverythingBack()
    {
        var (exit, output) = await ChatAsync("--script", Script("incident.txt"));

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("didn't catch that", output, StringComparison.Ordinal);
        Assert.DoesNotContain("something went wrong", output, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing waiting for a yes", output, StringComparison.Ordinal);
        // The read-back said containment before the yes; the chat channel heard each step done and each undone.
        var text = output.ReplaceLineEndings("\n");
        Assert.True(text.IndexOf("goes into standby in its Auto Scaling group", StringComparison.Ordinal)
            < text.IndexOf("(chat channel) Containment of web-1", StringComparison.Ordinal));
        Assert.Contains("(chat channel) Containment of web-1 (i-0a1b2c3d4e5f60001): Scale-in protection web-asg done; Auto Scaling standby web-asg done; "
            + "Target groups web-tg:80 done; Volumes kept on termination vol-0a1b2c3d4e5f60001 done.", text, StringComparison.Ordinal);
        Assert.Contains("(chat channel) Containment of web-1 (i-0a1b2c3d4e5f60001): Volumes kept on termination vol-0a1b2c3d4e5f60001 undone; "
            + "Target groups web-tg:80 undone; Auto Scaling standby web-asg undone; Scale-in protection web-asg undone.", text, StringComparison.Ordinal);
        // One incident, one OpsItem: opened by the isolation, then updated by the ticket request and the release.
        Assert.Single(text.Split('\n'), l => l.Contains("OpsCenter ticket oi-", StringComparison.Ordinal) && l.Contains("opened", StringComparison.Ordinal)
            && l.StartsWith("  (chat channel)", StringComparison.Ordinal));
        Assert.Contains("(chat channel) OpsCenter ticket oi-5a1000000001 updated.", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l == "(session ended)");
    }

    [Fact]
    public async Task Chat_WhenScriptedWithTheWholeIncidentInJapanese_PlaysItInJapaneseWithoutAnEnglishSentence()
    {
        var (exit, output) = await ChatAsync("--locale", "ja-JP", "--script", Script("incident.ja-JP.txt"));

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var said = lines.Where(l => l.StartsWith("Alexa: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines.Count(l => l.StartsWith("You: ", StringComparison.Ordinal)), said.Count);
        Assert.All(said, l => Assert.False(Skill.JapaneseSpeechTests.HasEnglishSentence(l, out var run), $"{l}: \"{run}\""));
        Assert.DoesNotContain("聞き取れませんでした", output, StringComparison.Ordinal);
        Assert.Contains("(chat channel) web-1（i-0a1b2c3d4e5f60001）の封じ込め：スケールイン保護 web-asg 完了", output, StringComparison.Ordinal);
    }
}
