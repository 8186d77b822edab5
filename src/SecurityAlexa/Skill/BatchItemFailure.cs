using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>One failed message of a batch, by its message id.</summary>
internal sealed class BatchItemFailure
{
    /// <summary>The failed message's <c>messageId</c>.</summary>
    [JsonPropertyName("itemIdentifier")]
    public string ItemIdentifier { get; set; } = "";
}
