using System.Text.Json.Serialization;

namespace SecurityAlexa.Security;

/// <summary>Source-generated JSON for the security layer's slice of the session state.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SecuritySessionState))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
