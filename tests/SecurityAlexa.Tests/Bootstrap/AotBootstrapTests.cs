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
            ["ALLOWED_USERS"] = SecurityAlexa.Security.IdentityHash.Of(AlexaRequests.UserId),
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
    public async Task Bootstrap_ClaimsAMutatingRequestInTheStateTableOverTheLowLevelDynamoDbClient()
    {
        // The trimmed, AOT-compiled DynamoDB client marshals the conditional put and reads DynamoDB's answers:
        // a success for the first request, ConditionalCheckFailedException for the second (a request id that
        // another container claimed: this container has not seen it, so only the table can refuse it).
        var path = BootstrapPath();
        using var dynamo = FakeAws.Server();
        var puts = 0;
        dynamo.Given(WireMock.RequestBuilders.Request.Create().UsingPost().WithHeader("X-Amz-Target", "DynamoDB_20120810.PutItem"))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(_ => Interlocked.Increment(ref puts) == 1
                ? new WireMock.ResponseMessage { StatusCode = 200, BodyData = Body("{}"), Headers = JsonHeaders() }
                : new WireMock.ResponseMessage { StatusCode = 400, BodyData = Body("""{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"""), Headers = JsonHeaders() }));
        await using var api = FakeRuntimeApi.Start();
        var isolate = AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web-1"));
        var first = api.Enqueue("aot-claim-1", isolate.Json, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(7));
        var replay = api.Enqueue("aot-claim-2", AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web-1")).WithRequestId("amzn1.echo-api.request.claimed-elsewhere").Json,
            DateTimeOffset.UtcNow + TimeSpan.FromSeconds(7));
        var output = new ConcurrentQueue<string>();

        using var process = Launch(path, new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.HostPort,
            ["SKILL_ID"] = AlexaRequests.SkillId,
            ["SESSION_SIGNING_KEY"] = Convert.ToBase64String(new byte[32]),
            ["ALLOWED_USERS"] = SecurityAlexa.Security.IdentityHash.Of(AlexaRequests.UserId),
            ["ALLOWED_SPEAKERS"] = SecurityAlexa.Security.IdentityHash.Of(AlexaRequests.PersonId),
            ["STATE_TABLE"] = "aot-state",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDAOTTEST000000000",
            ["AWS_SECRET_ACCESS_KEY"] = "aot-test-secret",
            // Everything else to a closed port: EC2 fails fast, and nothing leaves the machine.
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Url,
        }, output);
        AlexaReply firstReply, replayReply;
        try
        {
            firstReply = new AlexaReply((await first.WaitAsync(Hang)).Body).AssertWellFormed();
            replayReply = new AlexaReply((await replay.WaitAsync(Hang)).Body).AssertWellFormed();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(Hang);
        }

        Assert.DoesNotContain("already handled", firstReply.Speech, StringComparison.Ordinal);
        Assert.Equal("I've already handled that exact request, so I didn't do it again. Ask again if you want something new.", replayReply.Speech);
        var sent = dynamo.LogEntries.Select(e => JsonNode.Parse(e.RequestMessage.Body!)!).ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, put =>
        {
            Assert.Equal("aot-state", (string?)put["TableName"]);
            Assert.Equal("attribute_not_exists(#n0) OR #n1 <= :v0", (string?)put["ConditionExpression"]);
            Assert.StartsWith("claim#requests#", (string?)put["Item"]!["pk"]!["S"]);
        });
        Assert.All(dynamo.LogEntries, e => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDAOTTEST000000000/", e.RequestMessage.Headers!["Authorization"].Single()));
    }

    private static WireMock.Util.BodyData Body(string json) => new() { BodyAsString = json, DetectedBodyType = WireMock.Types.BodyType.String, Encoding = System.Text.Encoding.UTF8 };

    private static Dictionary<string, WireMock.Types.WireMockList<string>> JsonHeaders() => new() { ["Content-Type"] = new WireMock.Types.WireMockList<string>("application/x-amz-json-1.0") };

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
