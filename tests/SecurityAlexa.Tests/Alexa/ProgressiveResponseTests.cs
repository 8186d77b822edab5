using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityAlexa.Alexa;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using MockRequest = WireMock.RequestBuilders.Request;
using WireMock.Server;
using WireMock.Settings;

namespace SecurityAlexa.Tests.Alexa;

public sealed class ProgressiveResponseTests : IDisposable
{
    private readonly WireMockServer _alexa = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{Loopback.FreePort()}"] });
    private readonly HttpClient _http = new();

    // Long enough for a cold server on a busy machine; these tests are about behaviour, not speed.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public void Dispose()
    {
        _alexa.Stop();
        _alexa.Dispose();
        _http.Dispose();
    }

    private SkillRequest RequestTo(string apiEndpoint, string requestJson = "")
    {
        var request = requestJson.Length > 0 ? AlexaRequests.Raw((JsonObject)JsonNode.Parse(requestJson)!) : AlexaRequests.Intent("ScanIntent");
        request.Root["context"]!["System"]!["apiEndpoint"] = apiEndpoint;
        request.Root["context"]!["System"]!["apiAccessToken"] = "progressive-token-123";
        request.WithRequestId("amzn1.echo-api.request.progressive-1");
        return JsonSerializer.Deserialize(request.Json, AlexaJsonContext.Default.SkillRequest)!;
    }

    private void AlexaAnswers(int status) =>
        _alexa.Given(MockRequest.Create().WithPath("/v1/directives").UsingPost()).RespondWith(Response.Create().WithStatusCode(status));

    [Fact]
    public async Task SayAsync_WhenAlexaAnswers204_PostsVoicePlayerSpeakWithBearerTokenAndReturnsTrue()
    {
        AlexaAnswers(204);
        var progress = AlexaProgressiveResponse.For(_http, RequestTo(_alexa.Url!), allowAnyHost: true, callTimeout: Generous);

        var delivered = await progress.SayAsync("Scanning web-1 & db-1, one moment.", CancellationToken.None);

        Assert.True(delivered);
        var call = Assert.Single(_alexa.LogEntries).RequestMessage;
        Assert.Equal("POST", call.Method);
        Assert.Equal("/v1/directives", call.Path);
        Assert.Equal("Bearer progressive-token-123", call.Headers!["Authorization"].Single());
        Assert.StartsWith("application/json", call.Headers["Content-Type"].Single());
        var body = JsonNode.Parse(call.Body!)!;
        Assert.Equal("amzn1.echo-api.request.progressive-1", (string?)body["header"]!["requestId"]);
        Assert.Equal("VoicePlayer.Speak", (string?)body["directive"]!["type"]);
        Assert.Equal("<speak>Scanning web-1 &amp; db-1, one moment.</speak>", (string?)body["directive"]!["speech"]);
    }

    [Theory]
    [InlineData("amzn1.echo-api.request.1", "<speak>Scanning web-1 &amp; db-1, one moment.</speak>")]
    [InlineData("r\"2", "<speak>スキャンしています。\u2028\"quoted\" \\ \u0001</speak>")]
    public void Body_IsWhatTheContractTypesSerializeTo(string requestId, string ssml)
    {
        var contract = new ProgressiveResponseBody
        {
            Header = new ProgressiveResponseHeader { RequestId = requestId },
            Directive = new VoicePlayerSpeak { Speech = ssml },
        };

        Assert.Equal(System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(contract, AlexaJsonContext.Wire.ProgressiveResponseBody)),
            System.Text.Encoding.UTF8.GetString(AlexaProgressiveResponse.Body(requestId, ssml)));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task SayAsync_WhenAlexaRefuses_ReturnsFalseWithoutThrowing(int status)
    {
        AlexaAnswers(status);
        var progress = AlexaProgressiveResponse.For(_http, RequestTo(_alexa.Url!), allowAnyHost: true, callTimeout: Generous);

        var delivered = await progress.SayAsync("Working on it.", CancellationToken.None);

        Assert.False(delivered);
        Assert.Single(_alexa.LogEntries);
    }

    [Fact]
    public async Task SayAsync_WhenNothingListens_ReturnsFalseWithoutThrowing()
    {
        var progress = AlexaProgressiveResponse.For(_http, RequestTo($"http://127.0.0.1:{Loopback.FreePort()}"), allowAnyHost: true, callTimeout: Generous);

        Assert.False(await progress.SayAsync("Working on it.", CancellationToken.None));
    }

    [Fact]
    public async Task SayAsync_WhenAlexaIsSlowerThanTheCallTimeout_GivesUpAndReturnsFalse()
    {
        _alexa.Given(MockRequest.Create().WithPath("/v1/directives").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(204).WithDelay(TimeSpan.FromSeconds(20)));
        var progress = AlexaProgressiveResponse.For(_http, RequestTo(_alexa.Url!), allowAnyHost: true, callTimeout: TimeSpan.FromMilliseconds(200));

        Assert.False(await progress.SayAsync("Working on it.", CancellationToken.None));
    }

    [Fact]
    public async Task SayAsync_WhenDeadlineHasPassed_ReturnsFalseAndSendsNothing()
    {
        AlexaAnswers(204);
        var progress = AlexaProgressiveResponse.For(_http, RequestTo(_alexa.Url!), allowAnyHost: true, callTimeout: Generous);

        Assert.False(await progress.SayAsync("Working on it.", new CancellationToken(canceled: true)));
        Assert.Empty(_alexa.LogEntries);
    }

    [Fact]
    public async Task SayAsync_WhenHttpClientIsDisposed_ReturnsFalseWithoutThrowing()
    {
        AlexaAnswers(204);
        var http = new HttpClient();
        var progress = AlexaProgressiveResponse.For(http, RequestTo(_alexa.Url!), allowAnyHost: true, callTimeout: Generous);
        http.Dispose();

        Assert.False(await progress.SayAsync("Working on it.", CancellationToken.None));
    }

    [Fact]
    public async Task For_WhenEndpointIsNotAnAlexaHost_RefusesAndNeverSendsTheToken()
    {
        AlexaAnswers(204);

        var progress = AlexaProgressiveResponse.For(_http, RequestTo(_alexa.Url!));
        var delivered = await progress.SayAsync("Working on it.", CancellationToken.None);

        Assert.Same(NoProgressiveResponse.Instance, progress);
        Assert.False(delivered);
        Assert.Empty(_alexa.LogEntries);
    }

    [Fact]
    public void For_WhenRequestCannotTakeProgressiveResponses_ReturnsNoOp()
    {
        var ended = RequestTo("https://api.amazonalexa.com", AlexaRequests.SessionEnded().Json);
        var noToken = RequestTo("https://api.amazonalexa.com");
        noToken.Context!.System!.ApiAccessToken = null;
        var noEndpoint = RequestTo("https://api.amazonalexa.com");
        noEndpoint.Context!.System!.ApiEndpoint = "not a url";

        Assert.Same(NoProgressiveResponse.Instance, AlexaProgressiveResponse.For(_http, ended));
        Assert.Same(NoProgressiveResponse.Instance, AlexaProgressiveResponse.For(_http, noToken));
        Assert.Same(NoProgressiveResponse.Instance, AlexaProgressiveResponse.For(_http, noEndpoint));
        Assert.IsType<AlexaProgressiveResponse>(AlexaProgressiveResponse.For(_http, RequestTo("https://api.eu.amazonalexa.com")));
    }

    [Theory]
    [InlineData("https://api.amazonalexa.com", true)]
    [InlineData("https://api.eu.amazonalexa.com", true)]
    [InlineData("https://api.fe.amazonalexa.com/", true)]
    [InlineData("http://api.amazonalexa.com", false)]
    [InlineData("https://api.amazonalexa.com.evil.example", false)]
    [InlineData("https://evilamazonalexa.com", false)]
    [InlineData("https://127.0.0.1", false)]
    public void IsAlexaHost_WhenEndpointVaries_AcceptsOnlyHttpsAmazonAlexaHosts(string endpoint, bool expected)
    {
        Assert.Equal(expected, AlexaProgressiveResponse.IsAlexaHost(new Uri(endpoint)));
    }
}
