using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace SecurityAlexa.Notifications;

/// <summary>The JSON body of a Slack-compatible incoming webhook.</summary>
internal sealed class WebhookPayload
{
    /// <summary>The message text (Slack mrkdwn, with &amp;, &lt; and &gt; escaped).</summary>
    [JsonPropertyName("text")] public string Text { get; set; } = "";
}

/// <summary>Source-generated JSON for webhook bodies.</summary>
[JsonSerializable(typeof(WebhookPayload))]
internal sealed partial class NotificationsJsonContext : JsonSerializerContext;

/// <summary>Timing of webhook posts.</summary>
internal sealed record WebhookOptions
{
    /// <summary>The most a post may take, retries included, so that the answer is never late because of chat.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first retry's delay (then doubled, with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Retries after the first attempt, on 429, 5xx or a network error.</summary>
    public int Retries { get; init; } = 2;
}

/// <summary>
/// Posts to a Slack-compatible webhook. The URL is fetched once per container from its source (a
/// SecureString parameter) and kept; a failed fetch is retried on the next post.
/// </summary>
internal sealed class WebhookChatNotifier : IChatNotifier
{
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    }));

    private readonly IWebhookUrlSource _source;
    private readonly Func<HttpClient> _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly SemaphoreSlim _urlGate = new(1, 1);
    private Uri? _url;

    public WebhookChatNotifier(IWebhookUrlSource source, HttpClient? http = null, WebhookOptions? options = null, TimeProvider? time = null)
    {
        _source = source;
        _http = http is null ? () => SharedClient.Value : () => http;
        options ??= new WebhookOptions();
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time ?? TimeProvider.System }
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.Retries),
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .Build();
    }

    /// <inheritdoc />
    public async Task<ChatDelivery> NotifyAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        Uri? url;
        try
        {
            url = await UrlAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ChatDelivery.Failed("url: " + e.GetType().Name);
        }
        if (url is null) return ChatDelivery.Failed("url: not set or not https");

        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload { Text = EscapeForSlack(message.Text) }, NotificationsJsonContext.Default.WebhookPayload);
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return await _http().SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? ChatDelivery.Ok : ChatDelivery.Failed("status " + (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            return ChatDelivery.Failed(e.GetType().Name);
        }
    }

    /// <summary>Slack reads &amp;, &lt; and &gt; as markup; everything else passes through.</summary>
    public static string EscapeForSlack(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private async Task<Uri?> UrlAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _url) is { } cached) return cached;
        await _urlGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_url is not null) return _url;
            var text = await _source.GetUrlAsync(cancellationToken).ConfigureAwait(false);
            if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) || !Acceptable(url)) return null;
            Volatile.Write(ref _url, url);
            return url;
        }
        finally
        {
            _urlGate.Release();
        }
    }

    // The secret goes only over TLS; plain http only to this machine (a local test server).
    private static bool Acceptable(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
}
