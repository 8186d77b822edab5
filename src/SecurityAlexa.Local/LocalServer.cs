using System.Net;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Local;

/// <summary>Serves the skill on 127.0.0.1 so local Alexa test tools (virtual-alexa with a skillURL) can drive it.</summary>
public static class LocalServer
{
    private const int MaxBody = 1024 * 1024;

    /// <summary>Answers POST / until cancelled.</summary>
    public static async Task<int> RunAsync(SkillHost host, int port, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        // Loopback only: the skill can act on an AWS account and must not be reachable from the network.
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        await stderr.WriteLineAsync($"Listening on http://127.0.0.1:{port}/ (POST an Alexa request to /). Ctrl+C stops.").ConfigureAwait(false);
        using var registration = cancellationToken.Register(listener.Stop);
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
        return 0;
    }

    /// <summary>Answers one HTTP request.</summary>
    public static async Task ServeAsync(SkillHost host, HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/")
            {
                response.StatusCode = context.Request.Url?.AbsolutePath == "/" ? 405 : 404;
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
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException)
        {
            response.StatusCode = 500;
        }
        finally
        {
            response.Close();
        }
    }
}
