using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Notifications;

/// <summary>
/// Posts to a Slack-compatible webhook, as plain text. The URL is fetched from its source (a SecureString
/// parameter) and kept for <see cref="UrlLifetime"/>, so a rotated or revoked URL takes effect without a
/// new container; a failed fetch is retried on the next post.
/// </summary>
internal sealed partial class WebhookChatNotifier : IChatNotifier
{
    /// <summary>How long a fetched URL is used before it is read again.</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(5);

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    }));

    private readonly IWebhookUrlSource _source;
    private readonly Func<HttpClient> _http;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private readonly WebhookOptions _options;
    private readonly SemaphoreSlim _urlGate = new(1, 1);
    private readonly TimeProvider _time;
    private CachedUrl? _url;

    private sealed record CachedUrl(Uri Url, DateTimeOffset ReadAt);

    public WebhookChatNotifier(IWebhookUrlSource source, HttpClient? http = null, WebhookOptions? options = null,
        TimeProvider? time = null)
    {
        _source = source;
        _http = http is null ? () => SharedClient.Value : () => http;
        options ??= new WebhookOptions();
        _time = time ?? TimeProvider.System;
        _options = options;
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

        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload { Text = PlainText(message.Text) },
            NotificationsJsonContext.Default.WebhookPayload);
        try
        {
            using var limit = new CancellationTokenSource(_options.TotalTimeout, _time);
            using var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            try
            {
                var status = await PostAsync(url, body, token.Token).ConfigureAwait(false);
                return (int)status is >= 200 and < 300 ? ChatDelivery.Ok : ChatDelivery.Failed("status " + (int)status);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return ChatDelivery.Failed($"timed out after {_options.TotalTimeout.TotalSeconds:0.#} s");
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return ChatDelivery.Failed(e.GetType().Name);
        }
    }

    // The post, retried with back-off on 429, 5xx and network errors; the caller's token bounds it all.
    private async Task<HttpStatusCode> PostAsync(Uri url, byte[] body, CancellationToken cancellationToken)
    {
        var retries = Math.Max(0, _options.Retries);
        for (var retry = 0; ; retry++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http().SendAsync(request, cancellationToken).ConfigureAwait(false);
                var status = response.StatusCode;
                if (retry >= retries || (status != HttpStatusCode.TooManyRequests && (int)status < 500)) return status;
            }
            catch (HttpRequestException) when (retry < retries)
            {
                // Retried below.
            }
            await Task.Delay(Backoff.Delay(_options.RetryDelay, retry, MaxBackoff), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The text made inert for the chat service. Names, tag values and spoken reasons come from whoever can
    /// tag an instance, so nothing in them may format, mention, or link: &amp;, &lt; and &gt; are escaped
    /// (no <c>&lt;url|label&gt;</c> link, no <c>&lt;!channel&gt;</c>), and URLs and host names are defanged the
    /// way security teams write indicators (<c>hxxps[:]//evil[.]example</c>) because the chat service links
    /// bare URLs even with mrkdwn off. <c>*</c>, <c>_</c> and <c>~</c> are left as they are: mrkdwn is off.
    /// </summary>
    public static string PlainText(string text)
    {
        var escaped = text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
        var noScheme = SchemeSeparator().Replace(HttpScheme().Replace(escaped, "hxxp$1://"), "[:]//");
        return HostDot().Replace(noScheme, "[.]");
    }

    [GeneratedRegex(@"\bhttp(s?)://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpScheme();

    [GeneratedRegex("://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemeSeparator();

    // A dot inside a host name (a letter or digit before it, a letter after it); a sentence's full stop is followed by a space.
    [GeneratedRegex(@"(?<=[\p{L}\p{N}-])\.(?=\p{L})", RegexOptions.CultureInvariant)]
    private static partial Regex HostDot();

    private async Task<Uri?> UrlAsync(CancellationToken cancellationToken)
    {
        if (Fresh(Volatile.Read(ref _url)) is { } cached) return cached;
        await _urlGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_url) is { } current) return current;
            Volatile.Write(ref _url, null);
            var text = await _source.GetUrlAsync(cancellationToken).ConfigureAwait(false);
            if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) || !Acceptable(url)) return null;
            Volatile.Write(ref _url, new CachedUrl(url, _time.GetUtcNow()));
            return url;
        }
        finally
        {
            _urlGate.Release();
        }
    }

    private Uri? Fresh(CachedUrl? cached) =>
        cached is not null && _time.GetUtcNow() - cached.ReadAt < UrlLifetime ? cached.Url : null;

    // The secret goes only over TLS; plain http only to this machine (a local test server).
    private static bool Acceptable(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
}
