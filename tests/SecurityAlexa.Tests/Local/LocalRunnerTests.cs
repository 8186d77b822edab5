using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SecurityAlexa.Local;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Local;

public sealed class LocalRunnerTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly string _scratch = Directory.CreateTempSubdirectory("securityalexa-runner-").FullName;

    // The runner reads settings from the environment; tests pass their own so the machine's don't leak in.
    private static readonly IReadOnlyDictionary<string, string> NoSettings = new Dictionary<string, string>();

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await LocalRunner.RunAsync(args, TextReader.Null, stdout, stderr, env, CancellationToken.None).WaitAsync(Hang);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string Scratch(string name, string content)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, content);
        return path;
    }

    public static TheoryData<string> Events()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Fixtures.EventsDir, "*.json").Order(StringComparer.Ordinal))
        {
            // EventBridge and SQS samples get an event result or a batch answer, not an Alexa response (IsolationSampleEventTests).
            if (JsonNode.Parse(File.ReadAllText(file)) is { } sample && (sample["detail-type"] is not null || sample["Records"] is not null)) continue;
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void Events_Folder_HasTheSamplesTheReadmeAndSamUse()
    {
        var names = Directory.EnumerateFiles(Fixtures.EventsDir, "*.json").Select(Path.GetFileName).OfType<string>().ToHashSet();

        Assert.Superset(new HashSet<string> { "launch.json", "help.json", "stop.json", "cancel.json", "fallback.json", "navigate-home.json", "session-ended.json", "exception-encountered.json", "can-fulfill.json", "unknown-type.json" }, names);
    }

    [Theory]
    [MemberData(nameof(Events))]
    public async Task Invoke_WhenGivenEachSampleEvent_PrintsOneWellFormedResponse(string name)
    {
        var (exit, stdout, stderr) = await Run(NoSettings, "invoke", Path.Combine(Fixtures.EventsDir, name), "--sandbox");

        Assert.Equal(0, exit);
        var reply = new AlexaReply(stdout.Trim()).AssertWellFormed();
        Assert.Single(stdout.Trim().Split('\n'));
        // The sample skill id is accepted because the runner checks SKILL_ID only when it is set.
        Assert.DoesNotContain("skill-id.rejected", stderr);
        Assert.Contains("\"kind\":\"invocation\"", stderr);
        var type = (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.EventsDir, name)))!["request"]!["type"];
        if (type is "SessionEndedRequest" or "System.ExceptionEncountered") Assert.True(reply.IsEmpty);
        else if (type == "CanFulfillIntentRequest") Assert.NotNull(reply.Response!["canFulfillIntent"]);
        else Assert.NotEmpty(reply.Speech);
    }

    [Fact]
    public async Task Invoke_WhenLaunchEvent_SaysWhatTheSkillDoes()
    {
        var (_, stdout, _) = await Run(NoSettings, "invoke", Path.Combine(Fixtures.EventsDir, "launch.json"), "--sandbox");

        Assert.Contains("scan instances for vulnerabilities", new AlexaReply(stdout).Speech);
    }

    [Fact]
    public async Task Invoke_WhenTheEventIsJapanese_AnswersInJapanese()
    {
        var (_, stdout, _) = await Run(NoSettings, "invoke", Path.Combine(Fixtures.EventsDir, "launch-ja-JP.json"), "--sandbox");

        Assert.StartsWith("セキュリティアシスタントです。", new AlexaReply(stdout).AssertWellFormed().Speech, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("japanese")]
    [InlineData("../en-US")]
    public async Task Chat_WhenTheLocaleIsNotALocale_ExitsWithTwoAndSaysSo(string locale)
    {
        var (exit, _, stderr) = await Run(NoSettings, "chat", "--sandbox", "--locale", locale);

        Assert.Equal(2, exit);
        Assert.Contains("--locale needs a locale", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_WhenFileIsNotJson_PrintsWellFormedApology()
    {
        var path = Scratch("broken.json", "{\"version\": \"1.0\", \"request\": { \"type\": ");

        var (exit, stdout, stderr) = await Run(NoSettings, "invoke", path);

        Assert.Equal(0, exit);
        Assert.Equal("Sorry, I couldn't read that request, so I did nothing.", new AlexaReply(stdout).AssertWellFormed().Speech);
        Assert.Contains("request.invalid", stderr);
    }

    [Fact]
    public async Task Invoke_WhenRequestTypeIsUnknown_PrintsPoliteAnswer()
    {
        var path = Scratch("unknown.json", AlexaRequests.Raw(new JsonObject { ["type"] = "Alexa.Presentation.APLT.UserEvent" }).Json);

        var (_, stdout, stderr) = await Run(NoSettings, "invoke", path);

        Assert.Contains("can't handle that kind of request", new AlexaReply(stdout).AssertWellFormed().Speech);
        Assert.Contains("Alexa.Presentation.APLT.UserEvent", stderr);
    }

    [Fact]
    public async Task Invoke_WhenSkillIdIsConfigured_ChecksIt()
    {
        var env = new Dictionary<string, string> { ["SKILL_ID"] = "amzn1.ask.skill.configured" };

        var (_, stdout, stderr) = await Run(env, "invoke", Path.Combine(Fixtures.EventsDir, "launch.json"));

        Assert.Equal("Sorry, I can't help with that.", new AlexaReply(stdout).Speech);
        Assert.Contains("skill-id.rejected", stderr);
    }

    [Fact]
    public async Task Invoke_WhenFileIsMissing_ExplainsAndFails()
    {
        var (exit, stdout, stderr) = await Run(NoSettings, "invoke", Path.Combine(_scratch, "nope.json"));

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("Cannot read", stderr);
    }

    [Theory]
    [InlineData(2, "")]
    [InlineData(2, "launch")]
    [InlineData(2, "invoke")]
    [InlineData(2, "serve", "--port", "99999")]
    [InlineData(2, "invoke", "x.json", "--verbose")]
    [InlineData(0, "--help")]
    public async Task Run_WhenArgumentsAreWrongOrHelpIsAsked_PrintsUsage(int expectedExit, params string[] args)
    {
        var (exit, stdout, stderr) = await Run(NoSettings, args.Where(a => a.Length > 0).ToArray());

        Assert.Equal(expectedExit, exit);
        Assert.Contains("Usage:", stdout + stderr);
    }

    [Fact]
    public async Task Serve_WhenAlexaRequestIsPosted_AnswersOnLoopbackAndRefusesOtherMethods()
    {
        using var stop = new CancellationTokenSource();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stderr = new StringWriter();
        var port = Loopback.FreePort();
        var serving = LocalRunner.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sandbox"],
            TextReader.Null, TextWriter.Null, TextWriter.Synchronized(stderr), NoSettings, stop.Token, listening.SetResult);
        var address = await listening.Task.WaitAsync(Hang);
        using var http = new HttpClient { BaseAddress = address };

        using var launch = await http.PostAsync("/", new StringContent(File.ReadAllText(Path.Combine(Fixtures.EventsDir, "launch.json")), Encoding.UTF8, "application/json"));
        using var garbage = await http.PostAsync("/", new StringContent("not json at all", Encoding.UTF8, "application/json"));
        using var get = await http.GetAsync("/");
        using var put = await http.PutAsync("/", new StringContent("{}"));
        using var elsewhere = await http.PostAsync("/other", new StringContent("{}"));
        await stop.CancelAsync();
        var exit = await serving.WaitAsync(Hang);

        Assert.Equal("127.0.0.1", address.Host);
        Assert.Equal(HttpStatusCode.OK, launch.StatusCode);
        Assert.Equal("application/json", launch.Content.Headers.ContentType!.MediaType);
        Assert.Contains("scan instances for vulnerabilities", new AlexaReply(await launch.Content.ReadAsStringAsync()).AssertWellFormed().Speech);
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Equal("Sorry, I couldn't read that request, so I did nothing.", new AlexaReply(await garbage.Content.ReadAsStringAsync()).AssertWellFormed().Speech);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(["POST"], get.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Serve_WhenPortIsTaken_ExplainsAndFails()
    {
        using var blocker = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var (exit, _, stderr) = await Run(NoSettings, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, exit);
        Assert.Contains("Cannot listen", stderr);
    }
}
