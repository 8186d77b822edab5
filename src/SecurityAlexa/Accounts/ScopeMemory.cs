using System.Text.Json.Serialization;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Accounts;

/// <summary>
/// The account and region the conversation last acted in, so that "and release it" stays where "isolate web-1 in payments" was.
/// </summary>
internal sealed record ScopeMemory
{
    /// <summary>The scope's <see cref="AccountScope.Key"/>.</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";

    /// <summary>This slice of the signed session state.</summary>
    public static readonly SessionSlot<ScopeMemory> Slot = new("where", AccountsJsonContext.Default.ScopeMemory);
}

/// <summary>Source-generated JSON for the accounts' slice of the session.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScopeMemory))]
internal sealed partial class AccountsJsonContext : JsonSerializerContext;
