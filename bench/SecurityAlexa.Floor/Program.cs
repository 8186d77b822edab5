// The floor: GET /runtime/invocation/next with HttpClient, read the event, POST a fixed Alexa response, and
// again. No JSON, no configuration, no AWS SDK: whatever the skill's cold start costs above this is its own.
using System.Net.Http.Headers;

var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(api)) return 2;

// The same transport the skill's Runtime API client uses (no proxy: the Runtime API is local).
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
{
    BaseAddress = new Uri("http://" + api + "/2018-06-01/"),
    Timeout = Timeout.InfiniteTimeSpan,
};
var answer = """{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"The floor answers."},"shouldEndSession":false}}"""u8.ToArray();
while (true)
{
    string id;
    using (var next = await http.GetAsync("runtime/invocation/next").ConfigureAwait(false))
    {
        if (!next.IsSuccessStatusCode) return 1;
        id = next.Headers.TryGetValues("Lambda-Runtime-Aws-Request-Id", out var ids) ? ids.First() : "";
        _ = await next.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    }
    using var content = new ByteArrayContent(answer);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var posted = await http.PostAsync($"runtime/invocation/{Uri.EscapeDataString(id)}/response", content).ConfigureAwait(false);
}
