using SecurityAlexa.Skill;

namespace SecurityAlexa;

/// <summary>
/// The entry point for Lambda's managed dotnet10 runtime. Handler string:
/// <c>SecurityAlexa::SecurityAlexa.Function::HandleAsync</c>. Stream in, Stream out, so no Lambda
/// package or serializer is needed.
/// </summary>
public sealed class Function
{
    // Built once per container; Lambda reuses the instance across invocations.
    private static readonly Lazy<SkillHost> DefaultHost = new(SkillHost.ForLambda);
    private readonly Lazy<SkillHost> _host;

    /// <summary>The constructor Lambda calls.</summary>
    public Function() => _host = DefaultHost;

    /// <summary>A function over an explicit host, for tests.</summary>
    internal Function(SkillHost host) => _host = new Lazy<SkillHost>(host);

    /// <summary>Handles one invocation: an Alexa request or an EventBridge event.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer).ConfigureAwait(false);
        var host = _host.Value;
        // The managed runtime gives a Stream handler no context, so the deadline comes from the configured timeout.
        var info = new InvocationInfo(LambdaDeadline: BackgroundDeadline.FromTimeout(host.Time.GetUtcNow(), host.Config));
        var output = await host.Dispatcher.InvokeAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), info)
            .ConfigureAwait(false);
        return new MemoryStream(output, writable: false);
    }
}
