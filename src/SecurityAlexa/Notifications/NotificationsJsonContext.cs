using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace SecurityAlexa.Notifications;

/// <summary>Source-generated JSON for webhook bodies.</summary>
[JsonSerializable(typeof(WebhookPayload))]
internal sealed partial class NotificationsJsonContext : JsonSerializerContext;
