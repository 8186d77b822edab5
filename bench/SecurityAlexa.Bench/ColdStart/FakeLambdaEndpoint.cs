using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SecurityAlexa.Bench.Fakes;

namespace SecurityAlexa.Bench.ColdStart;

/// <summary>One cold start: the invocation handed out, and when the process asked for it and answered.</summary>
internal sealed class ColdRun(byte[] payload)
{
    private int _handedOut;

    public byte[] Payload { get; } = payload;

    /// <summary>Stopwatch timestamp of the first GET /next (initialisation finished).</summary>
    public long? NextAt { get; set; }

    /// <summary>Stopwatch timestamp at which the whole response body had arrived.</summary>
    public long? ResponseAt { get; set; }

    public string? Response { get; set; }

    public string? Error { get; set; }

    public int AwsCalls;

    /// <summary>AWS calls the fake could not answer: the run then measured an error path, not the request's.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Unanswered { get; } = [];

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool TryHandOut() => Interlocked.Exchange(ref _handedOut, 1) == 0;
}

/// <summary>
/// One loopback HTTP server playing both sides of a Lambda container's world: the Runtime API
/// (/2018-06-01/runtime/...), which hands out one invocation per run and records when the response arrives,
/// and the AWS endpoints the function is pointed at with AWS_ENDPOINT_URL (EC2 query XML at "/", inspector2
/// REST-JSON routes), which answer at once.
/// </summary>
internal sealed class FakeLambdaEndpoint : IDisposable
{
    private const string RuntimePrefix = "/2018-06-01/runtime/";
    private readonly HttpListener _listener = new();
    private readonly FakeFleet _fleet;
    private readonly FakeInspector2 _inspector;
    private readonly CancellationTokenSource _stop = new();
    private ColdRun? _current;

    public FakeLambdaEndpoint(FakeFleet fleet)
    {
        _fleet = fleet;
        _inspector = new FakeInspector2(fleet);
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string HostPort => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Makes this run the one the next GET /next is answered from.</summary>
    public void Begin(ColdRun run) => Volatile.Write(ref _current, run);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var run = Volatile.Read(ref _current);
        var path = context.Request.Url!.AbsolutePath;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            var body = buffer.ToArray();

            if (path.StartsWith(RuntimePrefix, StringComparison.Ordinal))
            {
                await RuntimeAsync(context, run, path[RuntimePrefix.Length..], body, now).ConfigureAwait(false);
                return;
            }

            if (run is not null) Interlocked.Increment(ref run.AwsCalls);
            // Systems Manager: a Parameter Store put, and the OpsItem that critical scan results open (Tickets, on by default).
            if (context.Request.Headers["X-Amz-Target"] is { } target && target.StartsWith("AmazonSSM.", StringComparison.Ordinal))
            {
                var answer = target switch
                {
                    "AmazonSSM.PutParameter" => "{\"Version\":1,\"Tier\":\"Standard\"}",
                    "AmazonSSM.CreateOpsItem" => "{\"OpsItemId\":\"oi-0123456789ab\",\"OpsItemArn\":\"arn:aws:ssm:us-east-1:123456789012:opsitem/oi-0123456789ab\"}",
                    // No open item for the finding yet: the skill opens one, as on a first cold start.
                    "AmazonSSM.DescribeOpsItems" => "{\"OpsItemSummaries\":[]}",
                    _ => null,
                };
                if (answer is null) run?.Unanswered.Add(target);
                await WriteAsync(context, answer is null ? 400 : 200, "application/x-amz-json-1.1",
                    Encoding.UTF8.GetBytes(answer ?? "{\"__type\":\"InvalidAction\",\"message\":\"" + target + "\"}")).ConfigureAwait(false);
                return;
            }
            // DynamoDB, the state table: claims and records are new on a cold start, so a put succeeds and a read finds nothing.
            if (context.Request.Headers["X-Amz-Target"] is { } dynamo && dynamo.StartsWith("DynamoDB_20120810.", StringComparison.Ordinal))
            {
                var answer = dynamo switch
                {
                    "DynamoDB_20120810.PutItem" or "DynamoDB_20120810.GetItem" or "DynamoDB_20120810.DeleteItem" => "{}",
                    "DynamoDB_20120810.Scan" => "{\"Items\":[],\"Count\":0,\"ScannedCount\":0}",
                    _ => null,
                };
                if (answer is null) run?.Unanswered.Add(dynamo);
                await WriteAsync(context, answer is null ? 400 : 200, "application/x-amz-json-1.0", Encoding.UTF8.GetBytes(answer
                    ?? "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\",\"message\":\"" + dynamo + "\"}")).ConfigureAwait(false);
                return;
            }
            if (path == "/")
            {
                var form = Encoding.UTF8.GetString(body);
                var xml = Ec2Xml.Respond(_fleet, form) ?? QueryXml.Respond(form);
                if (xml is null) run?.Unanswered.Add(form.Split('&')[0]);
                await WriteAsync(context, xml is null ? 400 : 200, "text/xml", Encoding.UTF8.GetBytes(xml ?? "<Response><Errors><Error><Code>InvalidAction</Code></Error></Errors></Response>")).ConfigureAwait(false);
                return;
            }
            var json = _inspector.Respond(path, body);
            if (json is null) run?.Unanswered.Add(path);
            await WriteAsync(context, json is null ? 404 : 200, "application/json", json ?? "{}"u8.ToArray()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process under test was killed mid-request.
        }
    }

    private static async Task RuntimeAsync(HttpListenerContext context, ColdRun? run, string route, byte[] body, long now)
    {
        if (route == "invocation/next" && context.Request.HttpMethod == "GET")
        {
            if (run is not null && run.TryHandOut())
            {
                run.NextAt = now;
                var headers = context.Response.Headers;
                headers["Lambda-Runtime-Aws-Request-Id"] = "bench-" + Guid.NewGuid().ToString("N");
                headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddSeconds(7).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:SecurityAlexa";
                headers["Lambda-Runtime-Trace-Id"] = "Root=1-00000000-000000000000000000000000";
                await WriteAsync(context, 200, "application/json", run.Payload).ConfigureAwait(false);
                return;
            }
            // The second "next" of a run waits until the runner kills the process, as Lambda would freeze it.
            if (run is not null) await run.Done.Task.ConfigureAwait(false);
            context.Response.Abort();
            return;
        }
        if (route.EndsWith("/response", StringComparison.Ordinal))
        {
            if (run is not null)
            {
                run.ResponseAt = now;
                run.Response = Encoding.UTF8.GetString(body);
            }
            await WriteAsync(context, 202, "application/json", "{\"status\":\"OK\"}"u8.ToArray()).ConfigureAwait(false);
            run?.Done.TrySetResult();
            return;
        }
        if (route.EndsWith("/error", StringComparison.Ordinal))
        {
            if (run is not null) run.Error = route + ": " + Encoding.UTF8.GetString(body);
            await WriteAsync(context, 202, "application/json", "{\"status\":\"OK\"}"u8.ToArray()).ConfigureAwait(false);
            run?.Done.TrySetResult();
            return;
        }
        await WriteAsync(context, 404, "application/json", "{}"u8.ToArray()).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        context.Response.Close();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
