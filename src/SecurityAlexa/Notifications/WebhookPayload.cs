using System.Text.Json.Serialization;

namespace SecurityAlexa.Notifications;

/// <summary>The JSON body of a Slack-compatible incoming webhook.</summary>
internal sealed class WebhookPayload
{
    /// <summary>The message text, plain (see <see cref="WebhookChatNotifier.PlainText"/>).</summary>
    [JsonPropertyName("text")] public string Text { get; set; } = "";

    /// <summary>False: <c>*</c>, <c>_</c>, <c>~</c> and backticks from tag values or spoken reasons stay literal.</summary>
    [JsonPropertyName("mrkdwn")] public bool Mrkdwn { get; set; }

    /// <summary>False: the chat service fetches no link named in a message (no preview, no request to an attacker's host).</summary>
    [JsonPropertyName("unfurl_links")] public bool UnfurlLinks { get; set; }

    /// <summary>False: as <see cref="UnfurlLinks"/>, for media.</summary>
    [JsonPropertyName("unfurl_media")] public bool UnfurlMedia { get; set; }
}
