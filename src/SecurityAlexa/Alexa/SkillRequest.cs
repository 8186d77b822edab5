using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The envelope Alexa posts for every request.</summary>
internal sealed class SkillRequest
{
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("session")] public Session? Session { get; set; }
    [JsonPropertyName("context")] public RequestContext? Context { get; set; }
    [JsonPropertyName("request")] public Request? Request { get; set; }

    /// <summary>The skill id from context.System, falling back to the session.</summary>
    [JsonIgnore]
    public string? ApplicationId =>
        Context?.System?.Application?.ApplicationId ?? Session?.Application?.ApplicationId;

    /// <summary>The account user id from context.System, falling back to the session.</summary>
    [JsonIgnore]
    public string? UserId => Context?.System?.User?.UserId ?? Session?.User?.UserId;

    /// <summary>The recognised speaker (voice profile), if any.</summary>
    [JsonIgnore]
    public string? PersonId => Context?.System?.Person?.PersonId;
}
