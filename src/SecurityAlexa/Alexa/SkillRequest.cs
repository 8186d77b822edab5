using System.Text.Json;
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

/// <summary>The session block; absent for requests outside a session.</summary>
internal sealed class Session
{
    [JsonPropertyName("new")] public bool New { get; set; }
    [JsonPropertyName("sessionId")] public string? SessionId { get; set; }
    [JsonPropertyName("application")] public Application? Application { get; set; }
    [JsonPropertyName("user")] public User? User { get; set; }
    [JsonPropertyName("attributes")] public Dictionary<string, JsonElement>? Attributes { get; set; }
}

/// <summary>The skill the request is addressed to.</summary>
internal sealed class Application
{
    [JsonPropertyName("applicationId")] public string? ApplicationId { get; set; }
}

/// <summary>The Amazon account that owns the device.</summary>
internal sealed class User
{
    [JsonPropertyName("userId")] public string? UserId { get; set; }
    [JsonPropertyName("accessToken")] public string? AccessToken { get; set; }
}

/// <summary>A speaker recognised by an Alexa voice profile.</summary>
internal sealed class Person
{
    [JsonPropertyName("personId")] public string? PersonId { get; set; }
    [JsonPropertyName("accessToken")] public string? AccessToken { get; set; }
}

/// <summary>The device that heard the request.</summary>
internal sealed class Device
{
    [JsonPropertyName("deviceId")] public string? DeviceId { get; set; }
    [JsonPropertyName("supportedInterfaces")] public Dictionary<string, JsonElement>? SupportedInterfaces { get; set; }
}

/// <summary>The organisational unit a device belongs to (Alexa Smart Properties).</summary>
internal sealed class Unit
{
    [JsonPropertyName("unitId")] public string? UnitId { get; set; }
    [JsonPropertyName("persistentUnitId")] public string? PersistentUnitId { get; set; }
}

/// <summary>The request's context block.</summary>
internal sealed class RequestContext
{
    [JsonPropertyName("System")] public SystemContext? System { get; set; }
}

/// <summary>context.System: who, where and how to call back.</summary>
internal sealed class SystemContext
{
    [JsonPropertyName("application")] public Application? Application { get; set; }
    [JsonPropertyName("user")] public User? User { get; set; }
    [JsonPropertyName("device")] public Device? Device { get; set; }
    [JsonPropertyName("person")] public Person? Person { get; set; }
    [JsonPropertyName("unit")] public Unit? Unit { get; set; }
    [JsonPropertyName("apiEndpoint")] public string? ApiEndpoint { get; set; }
    [JsonPropertyName("apiAccessToken")] public string? ApiAccessToken { get; set; }
}
