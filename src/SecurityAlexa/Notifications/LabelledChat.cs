namespace SecurityAlexa.Notifications;

/// <summary>
/// The chat channel as one account and region's ports see it: every post starts with <paramref name="label"/> (which
/// account, by name and id, and which region), so that a team defending several can tell where a change was made.
/// Used only when more than one account or region is configured.
/// </summary>
internal sealed class LabelledChat(IChatNotifier inner, string label) : IChatNotifier
{
    /// <summary>The channel itself, for posts that say where they are about in their own words.</summary>
    public IChatNotifier Inner => inner;

    /// <summary>What every post starts with.</summary>
    public string Label => label;

    /// <inheritdoc />
    public Task<ChatDelivery> NotifyAsync(ChatMessage message, CancellationToken cancellationToken) =>
        inner.NotifyAsync(message with { Text = label + " " + message.Text }, cancellationToken);

    /// <summary>The channel without any label.</summary>
    public static IChatNotifier? Unlabelled(IChatNotifier? chat) => chat is LabelledChat labelled ? labelled.Inner : chat;
}
