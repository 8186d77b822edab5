using SecurityAlexa.Local;
using SecurityAlexa.Tests.Shipping;

namespace SecurityAlexa.Tests.Tickets;

/// <summary>
/// Which actions open or update an OpsItem (issue 15 §1), over the whole story in the sandbox account: a scan whose
/// results include critical findings, a patch run, an isolation, and its release, which updates the isolation's.
/// </summary>
public sealed class TicketSourcesTests
{
    // What Alexa answered (speech and card) to the first turn that says this, up to the next turn.
    private static string AnswerTo(string output, string said)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, "You: " + said);
        Assert.True(start >= 0, "No turn \"" + said + "\".");
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("You: ", StringComparison.Ordinal));
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    [AllCapabilitiesFact]
    public async Task WholeStory_CriticalScanResults_PatchRun_AndIsolation_EachOpenTheirOwnOpsItem_AndTheReleaseUpdatesTheIsolations()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "conversations", "whole-story.txt");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await LocalRunner.RunAsync(["chat", "--sandbox", "--script", script], new StringReader(""), stdout, stderr, CancellationToken.None);

        var output = stdout.ToString();
        Assert.True(exit == 0, output + stderr);
        // The sandbox's scan has critical findings: its results open the first OpsItem, on the card.
        Assert.Contains("OpsCenter ticket oi-5a1000000001 opened.", AnswerTo(output, "what did the scan find"), StringComparison.Ordinal);
        // The patch run opens its own (a different incident), on the card and in the chat post.
        var patched = AnswerAfter(output, "all of them");
        Assert.Contains("OpsCenter ticket oi-5a1000000002 opened.", patched, StringComparison.Ordinal);
        Assert.Contains("(chat channel) OpsCenter ticket oi-5a1000000002 opened.", patched, StringComparison.Ordinal);
        // The isolation opens a third; the release of the same instance updates it rather than opening a fourth.
        Assert.Contains("(chat channel) OpsCenter ticket oi-5a1000000003 opened.", AnswerAfter(output, "isolate web one"), StringComparison.Ordinal);
        Assert.Contains("(chat channel) OpsCenter ticket oi-5a1000000003 updated.", AnswerAfter(output, "release web one"), StringComparison.Ordinal);
        Assert.DoesNotContain("oi-5a1000000004", output, StringComparison.Ordinal);
    }

    // The answer to the "yes" that confirms the turn said just before it.
    private static string AnswerAfter(string output, string said)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, "You: " + said);
        Assert.True(start >= 0, "No turn \"" + said + "\".");
        var yes = Array.FindIndex(lines, start + 1, l => l.StartsWith("You: ", StringComparison.Ordinal));
        Assert.Equal("You: yes", lines[yes]);
        var end = Array.FindIndex(lines, yes + 1, l => l.StartsWith("You: ", StringComparison.Ordinal));
        return string.Join('\n', lines[yes..(end < 0 ? lines.Length : end)]);
    }
}
