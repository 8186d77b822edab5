using System.Text.Json.Nodes;
using SecurityAlexa.Local;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Screens;

/// <summary>The local runner's device with a screen: --device show, "(screen: name, N items)" in chat, touches, and invoke.</summary>
public sealed class ScreenChatTests
{
    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "conversations", name);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await LocalRunner.RunAsync(args, new StringReader(""), stdout, stderr,
            new Dictionary<string, string>(), CancellationToken.None);
        return (exit, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString());
    }

    [Fact]
    public async Task Chat_WithDeviceShow_SaysWhichScreenIsSentAndLetsARowBeTouched()
    {
        var (exit, output, errors) = await RunAsync("chat", "--sandbox", "--device", "show", "--script", Script("screens.txt"));

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("EXPECTATION FAILED", output, StringComparison.Ordinal);
        Assert.Contains("(screen: scanResults, 3 items)", output, StringComparison.Ordinal);
        Assert.Contains("You (touching web-1 on the screen)\nAlexa: web-1, the instance ending in 0001, is running.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WholeStory_WithDeviceShow_KeepsEverySpokenExpectationAndShowsEachScreen()
    {
        var (exit, output, errors) = await RunAsync("chat", "--sandbox", "--device", "show", "--script", Script("whole-story.txt"));

        Assert.True(exit == 0, output + errors);
        var screens = output.Split('\n').Where(l => l.StartsWith("(screen: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "(screen: readBack, 3 items)", "(screen: scanResults, 3 items)", "(screen: readBack, 3 items)", "(screen: patchStatus, 3 items)",
            "(screen: readBack, 1 item)", "(screen: isolation, 1 item)", "(screen: isolation, 1 item)", "(screen: readBack, 1 item)", "(screen: isolation, 1 item)",
        ], screens);
    }

    [Fact]
    public async Task Chat_WithoutDeviceShow_SendsNoScreen()
    {
        var (exit, output, errors) = await RunAsync("chat", "--sandbox", "--script", Script("whole-story.txt"));

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("(screen:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WhenTouchingWithoutAScreen_SaysHowToGetOne()
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "open security assistant\n:touch web-1\n");
        try
        {
            var (exit, output, _) = await RunAsync("chat", "--sandbox", "--script", script);

            Assert.Equal(1, exit);
            Assert.Contains("run chat with --device show", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Theory]
    [InlineData("--device")]
    [InlineData("--device", "tv")]
    public async Task Device_WithAnythingButShow_IsRefused(params string[] device)
    {
        var (exit, _, errors) = await RunAsync(["chat", "--sandbox", .. device]);

        Assert.Equal(2, exit);
        Assert.Contains("--device takes one value: show", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_WithDeviceShow_DeclaresTheScreen_AndPrintsTheScreenBesideTheJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"screen-{Guid.NewGuid():N}.json");
        var scan = AlexaRequests.Intent("ScanIntent", ("TagKey", "environment"), ("TagValue", "production"), ("InstanceName", null));
        await File.WriteAllTextAsync(path, scan.Json);
        try
        {
            var (exit, stdout, stderr) = await RunAsync("invoke", path, "--sandbox", "--device", "show");
            var (_, plainOut, plainErr) = await RunAsync("invoke", path, "--sandbox");

            Assert.Equal(0, exit);
            var reply = new AlexaReply(stdout).AssertWellFormed();
            Assert.Equal("readBack", (string?)reply.Screen()!["token"]);
            Assert.Contains("(screen: readBack, 3 items)", stderr, StringComparison.Ordinal);
            Assert.Null(new AlexaReply(plainOut).Screen());
            Assert.DoesNotContain("(screen:", plainErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Declare_AddsAplToAnEventWithoutContext()
    {
        var declared = JsonNode.Parse(ScreenDevice.Declare("""{"version":"1.0","request":{"type":"LaunchRequest"}}"""u8.ToArray()))!;

        Assert.NotNull(declared["context"]!["System"]!["device"]!["supportedInterfaces"]!["Alexa.Presentation.APL"]);
    }
}
