using SecurityAlexa.Notifications;

namespace SecurityAlexa.Sandbox;

/// <summary>The sandbox's chat channel: posts are kept in memory (and shown by the local runner's chat).</summary>
internal sealed class SandboxChat : IChatNotifier
{
    private readonly List<string> _posts = [];
    private readonly Lock _gate = new();

    /// <summary>Every message posted, oldest first.</summary>
    public IReadOnlyList<string> Posts { get { lock (_gate) return _posts.ToList(); } }

    /// <inheritdoc />
    public Task<ChatDelivery> NotifyAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        lock (_gate) _posts.Add(message.Text);
        return Task.FromResult(ChatDelivery.Ok);
    }
}
