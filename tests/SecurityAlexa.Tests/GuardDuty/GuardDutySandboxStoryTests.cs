using SecurityAlexa.Local;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>The GuardDuty story of issue 20, scripted through the local runner's chat against the sandbox account.</summary>
public sealed class GuardDutySandboxStoryTests
{
    [Fact]
    public async Task Chat_FindingsThenIsolateTheInstanceFromThatFindingThenYes_MeetsEveryExpectation()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "conversations", "guardduty.txt");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await LocalRunner.RunAsync(["chat", "--sandbox", "--script", script], new StringReader(""), stdout, stderr, CancellationToken.None);

        var output = stdout.ToString();
        Assert.True(exit == 0, output + stderr);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.Contains("(chat channel) Isolated web-1", output, StringComparison.Ordinal);
    }
}
