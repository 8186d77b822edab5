using System.Text.Json.Serialization;

namespace SecurityAlexa.Notifications;

/// <summary>Source-generated JSON for webhook bodies.</summary>
[JsonSerializable(typeof(WebhookPayload))]
internal sealed partial class NotificationsJsonContext : JsonSerializerContext;
