using System.Net;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Local;

/// <summary>Serves the skill on 127.0.0.1 so local Alexa test tools (virtual-alexa with a skillURL) can drive it.</summary>
internal static class LocalServer
{
    private const int MaxBody = 1024 * 1024;

    /// <summary>
    /// Answers POST / until cancelled; <paramref name="listening"/> is called once requests are accepted. With a
    /// <paramref name="queue"/> (the sandbox's), work that outlives a turn is delivered to the function meanwhile.
    /// </summary>
    public static async Task<int> RunAsync(SkillHost host, int port, TextWriter stderr, CancellationToken cancellationToken,
        Action<Uri>? listening = null, InMemoryWorkQueue? queue = null, TimeSpan? pumpEvery = null)
    {
        using var listener = new HttpListener();
        // Loopback only: the skill can act on an AWS account and must not be reachable from the network.
        var address = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(address.ToString());
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            await stderr.WriteLineAsync($"Cannot listen on {address}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await stderr.WriteLineAsync($"Listening on {address} (POST an Alexa request to /). Ctrl+C stops.").ConfigureAwait(false);
        listening?.Invoke(address);
        using var registration = cancellationToken.Register(listener.Stop);
        var pump = queue is null ? Task.CompletedTask
            : QueuePump.RunAsync(queue, host.Dispatcher, pumpEvery ?? QueuePump.DefaultInterval, stderr, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpListenerException)
            {
                break;
            }
            _ = Task.Run(() => ServeAsync(host, context, cancellationToken), cancellationToken);
        }
        await pump.ConfigureAwait(false);
        return 0;
    }

    /// <summary>Answers one HTTP request.</summary>
    public static async Task ServeAsync(SkillHost host, HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            if (context.Request.Url?.AbsolutePath != "/")
            {
                response.StatusCode = 404;
                return;
            }
            if (context.Request.HttpMethod != "POST")
            {
                response.StatusCode = 405;
                response.AddHeader("Allow", "POST");
                return;
            }
            using var body = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await context.Request.InputStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > MaxBody)
                {
                    response.StatusCode = 413;
                    return;
                }
                body.Write(buffer, 0, read);
            }
            var result = await host.Dispatcher.InvokeAsync(body.ToArray(), new InvocationInfo(), cancellationToken).ConfigureAwait(false);
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.ContentLength64 = result.Length;
            await response.OutputStream.WriteAsync(result, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away or the server is stopping; headers may already be sent.
            try { response.StatusCode = 500; }
            catch (InvalidOperationException) { }
        }
        finally
        {
            try { response.Close(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        }
    }
}
