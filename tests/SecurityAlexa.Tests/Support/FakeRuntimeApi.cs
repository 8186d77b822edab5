using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace SecurityAlexa.Tests.Support;

/// <summary>
/// An in-process Lambda Runtime API on 127.0.0.1: hands out queued invocations on
/// GET /2018-06-01/runtime/invocation/next and records what the runtime posts back.
/// A "next" with nothing queued waits, as Lambda's does.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Invocation> _queue = Channel.CreateUnbounded<Invocation>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Posted>> _results = new();
    private readonly TaskCompletionSource<Posted> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;
    private int _nextCalls;

    private FakeRuntimeApi(HttpListener listener, int port)
    {
        _listener = listener;
        HostPort = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>What AWS_LAMBDA_RUNTIME_API would hold: host:port.</summary>
    public string HostPort { get; }

    /// <summary>How many times "next" was called.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    /// <summary>What the runtime posted to /runtime/init/error.</summary>
    public Task<Posted> InitError => _initError.Task;

    /// <summary>Starts a server on a free loopback port.</summary>
    public static FakeRuntimeApi Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Loopback.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeRuntimeApi(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between probing and binding; try another.
                listener.Close();
            }
        }
    }

    /// <summary>Queues an invocation; the task completes with what the runtime posts for it (response or error).</summary>
    public Task<Posted> Enqueue(string requestId, string payload, DateTimeOffset? deadline = null, string? traceId = null)
    {
        var result = _results.GetOrAdd(requestId, _ => new TaskCompletionSource<Posted>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(new Invocation(requestId, payload, deadline, traceId));
        return result.Task;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            var method = context.Request.HttpMethod;
            if (method == "GET" && path == Prefix + "invocation/next")
            {
                Interlocked.Increment(ref _nextCalls);
                var invocation = await _queue.Reader.ReadAsync(_stop.Token);
                response.StatusCode = 200;
                response.AddHeader("Lambda-Runtime-Aws-Request-Id", invocation.RequestId);
                if (invocation.Deadline is { } deadline)
                    response.AddHeader("Lambda-Runtime-Deadline-Ms", deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
                response.AddHeader("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:security-alexa");
                if (invocation.TraceId is not null) response.AddHeader("Lambda-Runtime-Trace-Id", invocation.TraceId);
                var bytes = Encoding.UTF8.GetBytes(invocation.Payload);
                response.ContentType = "application/json";
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
                return;
            }
            if (method != "POST")
            {
                response.StatusCode = 405;
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            if (path == Prefix + "init/error")
            {
                _initError.TrySetResult(new Posted("init/error", null, body, headers));
                response.StatusCode = 202;
                return;
            }
            var parts = path[Prefix.Length..].Split('/');
            if (parts is ["invocation", var id, var kind and ("response" or "error")])
            {
                var requestId = Uri.UnescapeDataString(id);
                var result = _results.GetOrAdd(requestId, _ => new TaskCompletionSource<Posted>(TaskCreationOptions.RunContinuationsAsynchronously));
                result.TrySetResult(new Posted(kind, requestId, body, headers));
                response.StatusCode = 202;
                return;
            }
            response.StatusCode = 404;
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Shutting down: a waiting "next" is simply dropped.
        }
        finally
        {
            try { response.Close(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _serving; }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        _stop.Dispose();
    }

    /// <summary>One queued invocation.</summary>
    public sealed record Invocation(string RequestId, string Payload, DateTimeOffset? Deadline, string? TraceId);

    /// <summary>What the runtime posted: "response", "error" or "init/error", with body and headers.</summary>
    public sealed record Posted(string Kind, string? RequestId, string Body, IReadOnlyDictionary<string, string> Headers);
}

/// <summary>Loopback helpers for servers started by tests.</summary>
public static class Loopback
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
