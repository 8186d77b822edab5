using System.Net;
using System.Text.Json.Nodes;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Notifications;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.Notifications;

public sealed class WebhookChatNotifierTests : IDisposable
{
    private const string Parameter = "/security-alexa/chat-webhook";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly Mock<IAmazonSimpleSystemsManagement> _ssm = new(MockBehavior.Strict);

    public void Dispose() => _server.Dispose();

    // WireMock records a request just after it has answered it, so the log can lag the client by a moment.
    private async Task<List<WireMock.Logging.ILogEntry>> Entries(int atLeast)
    {
        for (var i = 0; i < 250 && _server.LogEntries.Count < atLeast; i++) await Task.Delay(20);
        return [.. _server.LogEntries];
    }

    private WebhookChatNotifier Notifier(string? url = null)
    {
        _ssm.Setup(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetParameterResponse { Parameter = new Parameter { Name = Parameter, Type = ParameterType.SecureString, Value = url ?? _server.Url + "/hook" } });
        return new WebhookChatNotifier(new SsmWebhookUrlSource(_ssm.Object, Parameter), new HttpClient(), new WebhookOptions { RetryDelay = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(30) });
    }

    [Fact]
    public async Task NotifyAsync_PostsSlackJsonToTheUrlHeldInTheSecureString()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));

        var delivery = await Notifier().NotifyAsync(new ChatMessage("Isolated web-1 <i-0abc> & friends"), CancellationToken.None);

        Assert.True(delivery.Delivered);
        var entry = Assert.Single(await Entries(1));
        Assert.StartsWith("application/json", entry.RequestMessage.Headers!["Content-Type"].Single());
        Assert.Equal("Isolated web-1 &lt;i-0abc&gt; &amp; friends", (string?)JsonNode.Parse(entry.RequestMessage.Body!)!["text"]);
        _ssm.Verify(s => s.GetParameterAsync(It.Is<GetParameterRequest>(r => r.Name == Parameter && r.WithDecryption == true), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NotifyAsync_SendsPlainText_SoFormattingFromTagValuesAndReasonsDoesNothing()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        const string hostile = "Isolated *web-1* _team_ ~prod~ because <https://evil.example/login|click to restore> or <!channel>, see https://evil.example/a and www.evil.example and evil.example/b";

        var delivery = await Notifier().NotifyAsync(new ChatMessage(hostile), CancellationToken.None);

        Assert.True(delivery.Delivered);
        var body = JsonNode.Parse(Assert.Single(await Entries(1)).RequestMessage.Body!)!;
        Assert.False((bool?)body["mrkdwn"]);
        Assert.False((bool?)body["unfurl_links"]);
        Assert.False((bool?)body["unfurl_media"]);
        var text = (string)body["text"]!;
        Assert.DoesNotContain("<", text);
        Assert.DoesNotContain(">", text);
        Assert.DoesNotContain("://", text);
        Assert.DoesNotContain("evil.example", text);
        Assert.Contains("*web-1* _team_ ~prod~", text);
        Assert.Contains("&lt;hxxps[:]//evil[.]example/login|click to restore&gt; or &lt;!channel&gt;", text);
        Assert.Contains("see hxxps[:]//evil[.]example/a and www[.]evil[.]example and evil[.]example/b", text);
    }

    [Fact]
    public async Task NotifyAsync_RereadsTheUrlAfterFiveMinutes()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        _server.Given(Request.Create().WithPath("/rotated").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        _ssm.SetupSequence(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetParameterResponse { Parameter = new Parameter { Value = _server.Url + "/hook" } })
            .ReturnsAsync(new GetParameterResponse { Parameter = new Parameter { Value = _server.Url + "/rotated" } });
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var notifier = new WebhookChatNotifier(new SsmWebhookUrlSource(_ssm.Object, Parameter), new HttpClient(), new WebhookOptions { RetryDelay = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(30) }, time);

        await notifier.NotifyAsync(new ChatMessage("one"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(4));
        await notifier.NotifyAsync(new ChatMessage("two"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await notifier.NotifyAsync(new ChatMessage("three"), CancellationToken.None);

        var paths = (await Entries(3)).OrderBy(e => e.RequestMessage.DateTime).Select(e => e.RequestMessage.Path).ToList();
        Assert.Equal(["/hook", "/hook", "/rotated"], paths);
        _ssm.Verify(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task NotifyAsync_ReadsTheParameterOnceWithinFiveMinutes()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var notifier = Notifier();

        await notifier.NotifyAsync(new ChatMessage("one"), CancellationToken.None);
        await notifier.NotifyAsync(new ChatMessage("two"), CancellationToken.None);

        Assert.Equal(2, (await Entries(2)).Count);
        _ssm.Verify(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NotifyAsync_WhenTheWebhookKeepsFailing_RetriesThenReportsNotDeliveredWithoutThrowing()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));

        var delivery = await Notifier().NotifyAsync(new ChatMessage("hello"), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal("status 500", delivery.Failure);
        Assert.Equal(3, (await Entries(3)).Count);
    }

    [Fact]
    public async Task NotifyAsync_WhenTheWebhookAnswersSlowerThanTheLimit_GivesUpAtTheLimitAndSaysSo()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(10)));
        var notifier = NotifierWith(new WebhookOptions { RetryDelay = TimeSpan.Zero, TotalTimeout = TimeSpan.FromMilliseconds(300) });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var delivery = await notifier.NotifyAsync(new ChatMessage("hello"), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal("timed out after 0.3 s", delivery.Failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task NotifyAsync_WhenTheWebhookThrottlesOnce_RetriesAndDelivers()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("throttle").WillSetStateTo("again")
            .RespondWith(Response.Create().WithStatusCode(429));
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("throttle").WhenStateIs("again")
            .RespondWith(Response.Create().WithStatusCode(200));

        var delivery = await Notifier().NotifyAsync(new ChatMessage("hello"), CancellationToken.None);

        Assert.True(delivery.Delivered);
        Assert.Equal(2, (await Entries(2)).Count);
    }

    [Fact]
    public async Task NotifyAsync_WhenNothingListens_RetriesThenReportsTheNetworkError()
    {
        var transport = new CountingRefusal();
        _ssm.Setup(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetParameterResponse { Parameter = new Parameter { Value = "https://hooks.example/hook" } });
        var notifier = new WebhookChatNotifier(new SsmWebhookUrlSource(_ssm.Object, Parameter), new HttpClient(transport),
            new WebhookOptions { RetryDelay = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(30), Retries = 2 });

        var delivery = await notifier.NotifyAsync(new ChatMessage("hello"), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal(nameof(HttpRequestException), delivery.Failure);
        Assert.Equal(3, transport.Calls);
    }

    [Fact]
    public async Task NotifyAsync_WhenRetriesAreZero_PostsOnce()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        var notifier = NotifierWith(new WebhookOptions { RetryDelay = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(30), Retries = 0 });

        var delivery = await notifier.NotifyAsync(new ChatMessage("hello"), CancellationToken.None);

        Assert.Equal("status 503", delivery.Failure);
        await Task.Delay(200);
        Assert.Single(_server.LogEntries);
    }

    private WebhookChatNotifier NotifierWith(WebhookOptions options)
    {
        _ssm.Setup(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetParameterResponse { Parameter = new Parameter { Value = _server.Url + "/hook" } });
        return new WebhookChatNotifier(new SsmWebhookUrlSource(_ssm.Object, Parameter), new HttpClient(), options);
    }

    // Refuses every connection, as a host that is down does, and counts the tries.
    private sealed class CountingRefusal : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            throw new HttpRequestException("Connection refused");
        }
    }

    [Fact]
    public async Task NotifyAsync_WhenTheWebhookRejectsTheMessage_DoesNotRetry()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(404));

        var delivery = await Notifier().NotifyAsync(new ChatMessage("hello"), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Single(await Entries(1));
    }

    [Fact]
    public async Task NotifyAsync_WhenTheParameterCannotBeRead_ReportsNotDeliveredAndTriesAgainNextTime()
    {
        _server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        _ssm.SetupSequence(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ParameterNotFoundException("no such parameter") { ErrorCode = "ParameterNotFound", StatusCode = HttpStatusCode.BadRequest })
            .ReturnsAsync(new GetParameterResponse { Parameter = new Parameter { Value = _server.Url + "/hook" } });
        var notifier = new WebhookChatNotifier(new SsmWebhookUrlSource(_ssm.Object, Parameter), new HttpClient(), new WebhookOptions { RetryDelay = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(30) });

        var first = await notifier.NotifyAsync(new ChatMessage("one"), CancellationToken.None);
        var second = await notifier.NotifyAsync(new ChatMessage("two"), CancellationToken.None);

        Assert.False(first.Delivered);
        Assert.True(second.Delivered);
        Assert.Single(await Entries(1));
    }

    [Fact]
    public async Task NotifyAsync_WhenTheUrlIsPlainHttpToAnotherHost_RefusesToSendTheMessage()
    {
        var delivery = await Notifier("http://chat.example.com/hook").NotifyAsync(new ChatMessage("secret details"), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Empty(_server.LogEntries);
    }
}
