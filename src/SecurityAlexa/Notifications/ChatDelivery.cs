namespace SecurityAlexa.Notifications;

/// <summary>Whether a chat post arrived, and if not, why (for the log; never the webhook URL).</summary>
internal sealed record ChatDelivery(bool Delivered, string? Failure = null)
{
    /// <summary>A post that arrived.</summary>
    public static readonly ChatDelivery Ok = new(true);

    /// <summary>A post that did not arrive.</summary>
    public static ChatDelivery Failed(string why) => new(false, why);
}
