using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Bootstrap;

/// <summary>The published Native AOT executable, run as Lambda runs it, against an in-process Runtime API.</summary>
[Trait("Category", "Aot")]
public sealed class AotBootstrapTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static string BootstrapPath()
    {
        var path = Environment.GetEnvironmentVariable(AotFactAttribute.Variable)!;
        Assert.True(File.Exists(path), $"{AotFactAttribute.Variable} is set to {path}, but there is no file there. Publish first: dotnet publish src/SecurityAlexa -r linux-x64 -c Release -p:PublishAot=true");
        return path;
    }

    private static Process Launch(string path, IReadOnlyDictionary<string, string?> environment, ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue("stderr: " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [AotFact]
    public async Task Bootstrap_WhenRuntimeApiHandsOutRequests_AnswersEachOverTheRuntimeApi()
    {
        var path = BootstrapPath();
        await using var api = FakeRuntimeApi.Start();
        var launch = api.Enqueue("aot-launch", AlexaRequests.Launch().Json, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(7), "Root=1-aot");
        var forged = api.Enqueue("aot-forged", AlexaRequests.Intent("AMAZON.HelpIntent").FromSkill("amzn1.ask.skill.forged").Json);
        var invalid = api.Enqueue("aot-invalid", "{ not json");
        var output = new ConcurrentQueue<string>();

        using var process = Launch(path, new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.HostPort,
            ["SKILL_ID"] = AlexaRequests.SkillId,
            ["SESSION_SIGNING_KEY"] = Convert.ToBase64String(new byte[32]),
            ["AWS_REGION"] = "us-east-1",
        }, output);
        try
        {
            var launchReply = new AlexaReply((await launch.WaitAsync(Hang)).Body).AssertWellFormed();
            var forgedReply = new AlexaReply((await forged.WaitAsync(Hang)).Body).AssertWellFormed();
            var invalidReply = new AlexaReply((await invalid.WaitAsync(Hang)).Body).AssertWellFormed();

            Assert.Contains("scan instances for vulnerabilities", launchReply.Speech);
            Assert.False(launchReply.EndsSession);
            Assert.Equal("Sorry, I can't help with that.", forgedReply.Speech);
            Assert.Equal("Sorry, I couldn't read that request, so I did nothing.", invalidReply.Speech);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(Hang);
        }

        // The binary logs structured JSON to stdout, without the access token or clear ids.
        var logs = output.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Contains(logs, r => (string?)r["kind"] == "invocation" && (string?)r["lambdaRequestId"] == "aot-launch" && (string?)r["requestType"] == "LaunchRequest");
        Assert.Contains(logs, r => (string?)r["kind"] == "skill-id.rejected");
        Assert.DoesNotContain(output, l => l.Contains("test-access-token", StringComparison.Ordinal) || l.Contains(AlexaRequests.UserId, StringComparison.Ordinal));
    }

    [AotFact]
    public async Task Bootstrap_WhenNotUnderLambda_ExplainsAndExitsWithUsageCode()
    {
        var path = BootstrapPath();
        var output = new ConcurrentQueue<string>();

        using var process = Launch(path, new Dictionary<string, string?> { ["AWS_LAMBDA_RUNTIME_API"] = null }, output);
        await process.WaitForExitAsync().WaitAsync(Hang);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(output, l => l.Contains("AWS_LAMBDA_RUNTIME_API is not set", StringComparison.Ordinal));
    }
}
