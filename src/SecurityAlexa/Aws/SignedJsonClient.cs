using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Aws;

/// <summary>
/// JSON over HTTPS to an AWS service that has no SDK package here (inspector2, CloudWatch Logs): requests
/// are signed by AWSSDK.Core's SigV4SigningHandler with credentials from the SDK's default chain,
/// retried with exponential back-off and jitter on throttling and 5xx, and failures become
/// <see cref="AwsCallException"/> named by IAM action. Bodies use source-generated JSON only.
/// </summary>
internal sealed class SignedJsonClient : IDisposable
{
    private readonly AwsService _service;
    private readonly string _region;
    private readonly AWSCredentials? _credentials;
    private readonly HttpMessageHandler? _transport;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private readonly SignedJsonOptions _retry;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _init = new(1, 1);
    private HttpClient? _http;

    /// <param name="service">The service to call.</param>
    /// <param name="region">The signing region (and the region of the default endpoint).</param>
    /// <param name="environment">Where AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_&lt;SERVICE&gt; are read from.</param>
    /// <param name="credentials">Fixed credentials (tests); null means the SDK's default chain.</param>
    /// <param name="transport">The innermost handler; null means a SocketsHttpHandler.</param>
    /// <param name="options">Retry settings.</param>
    /// <param name="time">The clock for back-off delays.</param>
    public SignedJsonClient(
        AwsService service,
        string region,
        IReadOnlyDictionary<string, string> environment,
        AWSCredentials? credentials = null,
        HttpMessageHandler? transport = null,
        SignedJsonOptions? options = null,
        TimeProvider? time = null)
    {
        _service = service;
        _region = region;
        _credentials = credentials;
        _transport = transport;
        Endpoint = service.Endpoint(environment, region);
        _retry = options ?? new SignedJsonOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// POSTs a JSON body and reads the JSON answer. <paramref name="operation"/> is the IAM action that
    /// names the call in errors; <paramref name="target"/> sets X-Amz-Target for JSON 1.1 services.
    /// </summary>
    public Task<TResponse> PostAsync<TRequest, TResponse>(
        string operation,
        string path,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken,
        string? target = null,
        string contentType = "application/json") =>
        ReadJsonAsync(operation, HttpMethod.Post, path, JsonSerializer.SerializeToUtf8Bytes(body, requestType), responseType, target,
            contentType, cancellationToken);

    /// <summary>GETs a path (with its query string) and reads the JSON answer, for REST-JSON reads that take no body.</summary>
    public Task<TResponse> GetAsync<TResponse>(string operation, string pathAndQuery, JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken) =>
        ReadJsonAsync(operation, HttpMethod.Get, pathAndQuery, null, responseType, null, "application/json", cancellationToken);

    /// <summary>
    /// POSTs a form-encoded Query-protocol body (Action=…&amp;Version=…) and returns the answer's bytes (XML), with the
    /// same signing, retries and errors as <see cref="PostAsync{TRequest, TResponse}"/>.
    /// </summary>
    public async Task<byte[]> PostFormAsync(string operation, string form, CancellationToken cancellationToken)
    {
        var attempt = await SendAsync(operation, HttpMethod.Post, "/", System.Text.Encoding.UTF8.GetBytes(form), null,
            "application/x-www-form-urlencoded; charset=utf-8", cancellationToken).ConfigureAwait(false);
        return attempt.Body;
    }

    private async Task<TResponse> ReadJsonAsync<TResponse>(string operation, HttpMethod method, string path, byte[]? payload,
        JsonTypeInfo<TResponse> responseType, string? target, string contentType, CancellationToken cancellationToken)
    {
        var attempt = await SendAsync(operation, method, path, payload, target, contentType, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = attempt.Body.Length == 0
                ? JsonSerializer.Deserialize("{}"u8, responseType)
                : JsonSerializer.Deserialize(attempt.Body, responseType);
            return result ?? throw new JsonException("The response body was null.");
        }
        catch (JsonException e)
        {
            throw new AwsCallException(operation, AwsFailure.Other, null, attempt.Status, "Unreadable response: " + e.Message, e);
        }
    }

    // One call, with its retries, reported to the request's observer (the audit trail) as the SDK's calls are.
    private async Task<Attempt> SendAsync(string operation, HttpMethod method, string path, byte[]? payload, string? target,
        string contentType, CancellationToken cancellationToken)
    {
        Attempt attempt;
        try
        {
            attempt = await SendCoreAsync(operation, method, path, payload, target, contentType, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            AwsCallObserver.Current?.Called(operation, e.RequestId, e.ErrorCode ?? e.Failure.ToString());
            throw;
        }
        AwsCallObserver.Current?.Called(operation, attempt.RequestId, null);
        return attempt;
    }

    // One call, with its retries; a failure becomes an AwsCallException named by the operation.
    private async Task<Attempt> SendCoreAsync(string operation, HttpMethod method, string path, byte[]? payload, string? target,
        string contentType, CancellationToken cancellationToken)
    {
        var uri = new Uri(Endpoint, path);
        Attempt attempt;
        try
        {
            var http = await HttpAsync(cancellationToken).ConfigureAwait(false);
            attempt = await RetryAsync(http, method, uri, payload, target, contentType, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new AwsCallException(operation, AwsFailure.Timeout, null, null, "The request's deadline passed.", e);
        }
        catch (TimeoutException e)
        {
            throw new AwsCallException(operation, AwsFailure.Timeout, null, null, e.Message, e);
        }
        catch (OperationCanceledException e)
        {
            // Cancelled by something other than the caller: the transport's connect timeout, or a token
            // that fired while the attempt timeout raced the response. To the caller it is a time-out.
            throw new AwsCallException(operation, AwsFailure.Timeout, null,
                null, "The call was cancelled before AWS answered: " + e.Message, e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsCallException(operation, AwsFailure.ServiceError, null, e.StatusCode, e.Message, e);
        }
        catch (AmazonClientException e)
        {
            // No credentials in the chain, or signing failed.
            throw new AwsCallException(operation, AwsFailure.AccessDenied, null, null, e.Message, e);
        }

        if (!attempt.IsSuccess)
            throw new AwsCallException(operation, AwsCallException.Classify(attempt.ErrorCode, attempt.Status), attempt.ErrorCode,
                attempt.Status, attempt.ErrorMessage) { RequestId = attempt.RequestId };
        return attempt;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _http?.Dispose();
        _init.Dispose();
    }

    // Attempts, each within its own time-out, retried with back-off on throttling, 5xx, a network error, a time-out, or a
    // cancellation that is not the caller's (a connect time-out). The caller's token ends it at once, waiting or not.
    private async Task<Attempt> RetryAsync(HttpClient http, HttpMethod method, Uri uri, byte[]? payload, string? target,
        string contentType, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            Exception? failure = null;
            using (var limit = new CancellationTokenSource(_retry.AttemptTimeout, _time))
            using (var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token))
            {
                try
                {
                    var attempt = await SendOnceAsync(http, method, uri, payload, target, contentType, attemptToken.Token)
                        .ConfigureAwait(false);
                    if (!attempt.IsRetryable || retry >= _retry.MaxRetries) return attempt;
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
                {
                    failure = new TimeoutException($"The attempt took longer than {_retry.AttemptTimeout.TotalSeconds:0.#} s.", e);
                }
                catch (Exception e) when (e is HttpRequestException
                    || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    failure = e;
                }
            }
            if (failure is not null && retry >= _retry.MaxRetries) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            await Task.Delay(Backoff.Delay(_retry.BaseDelay, retry, MaxBackoff), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // One attempt, fully read, so the retry decision can look at the error code in the body.
    private static async Task<Attempt> SendOnceAsync(HttpClient http, HttpMethod method, Uri uri, byte[]? payload, string? target,
        string contentType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (payload is not null)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (target is not null) request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        // JSON services name the request in x-amzn-RequestId, S3-style ones in x-amz-request-id.
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids)
            || response.Headers.TryGetValues("x-amz-request-id", out ids)
            ? ids.FirstOrDefault() : null;
        if (response.IsSuccessStatusCode) return new Attempt(response.StatusCode, body, null, null, requestId);
        var (code, message) = AwsErrorBody.Parse(response.Headers, body);
        return new Attempt(response.StatusCode, body, code, message, requestId);
    }

    private async ValueTask<HttpClient> HttpAsync(CancellationToken cancellationToken)
    {
        if (_http is { } ready) return ready;
        await _init.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_http is { } built) return built;
            var credentials = _credentials ?? await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
            // The signer must sit below retries (each attempt is signed afresh) and redirects must not be followed unsigned.
            var transport = _transport ?? new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = _retry.ConnectTimeout,
            };
            var signer = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(_region), _service.SigningName, transport);
            _http = new HttpClient(signer) { Timeout = Timeout.InfiniteTimeSpan };
            return _http;
        }
        finally
        {
            _init.Release();
        }
    }

    /// <summary>The outcome of one HTTP attempt.</summary>
    private sealed record Attempt(HttpStatusCode Status, byte[] Body, string? ErrorCode, string? ErrorMessage, string? RequestId)
    {
        public bool IsSuccess => (int)Status is >= 200 and < 300;

        public bool IsRetryable => !IsSuccess &&
            (Status == HttpStatusCode.TooManyRequests || (int)Status >= 500
                || AwsCallException.Classify(ErrorCode, Status) == AwsFailure.Throttled);
    }
}
