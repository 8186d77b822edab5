using System.Net.Http.Headers;

namespace SecurityAlexa.Alexa;

/// <summary>
/// Posts VoicePlayer.Speak to {apiEndpoint}/v1/directives with the request's apiAccessToken.
/// The endpoint comes from the request, so it is checked against Alexa's hosts before the token is sent.
/// </summary>
internal sealed class AlexaProgressiveResponse : IProgressiveResponse
{
    /// <summary>How long one progressive response may take; it is a courtesy, never worth the real answer's time.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromMilliseconds(1500);

    private readonly TimeSpan _callTimeout;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _accessToken;
    private readonly string _requestId;

    private AlexaProgressiveResponse(HttpClient http, Uri endpoint, string accessToken, string requestId, TimeSpan callTimeout)
    {
        _callTimeout = callTimeout;
        _http = http;
        _endpoint = endpoint;
        _accessToken = accessToken;
        _requestId = requestId;
    }

    /// <summary>A client for this request, or the no-op client when the request cannot take progressive responses.</summary>
    public static IProgressiveResponse For(HttpClient http, SkillRequest request, bool allowAnyHost = false, TimeSpan? callTimeout = null)
    {
        var system = request.Context?.System;
        var requestId = request.Request?.RequestId;
        if (system?.ApiEndpoint is not { } endpoint || system.ApiAccessToken is not { Length: > 0 } token || requestId is null)
            return NoProgressiveResponse.Instance;
        if (request.Request is not (LaunchRequest or IntentRequest)) return NoProgressiveResponse.Instance;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) return NoProgressiveResponse.Instance;
        if (!allowAnyHost && !IsAlexaHost(uri)) return NoProgressiveResponse.Instance;
        return new AlexaProgressiveResponse(http, new Uri(uri, "/v1/directives"), token, requestId, callTimeout ?? DefaultCallTimeout);
    }

    /// <summary>True for https://api.amazonalexa.com and its regional variants.</summary>
    public static bool IsAlexaHost(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps &&
        (uri.Host.Equals("api.amazonalexa.com", StringComparison.OrdinalIgnoreCase) ||
         uri.Host.EndsWith(".amazonalexa.com", StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public async Task<bool> SayAsync(string text, CancellationToken cancellationToken)
    {
        var body = Body(_requestId, "<speak>" + Ssml.Escape(text) + "</speak>");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_callTimeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new ByteArrayContent(body),
            };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
            using var response = await _http.SendAsync(message, cts.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception)
        {
            // A missed "working on it" must never cost the real answer, whatever went wrong.
            return false;
        }
    }

    /// <summary>The body; the tests hold it to the contract types (ProgressiveResponseBody).</summary>
    internal static byte[] Body(string requestId, string ssml) => SkillResponseWriter.ProgressiveBody(requestId, ssml);
}
