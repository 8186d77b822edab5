using System.Text.Json.Nodes;

namespace SecurityAlexa.Tests.Support;

/// <summary>Builds Alexa request JSON the way Alexa sends it, independently of the production contract types.</summary>
public sealed class AlexaRequests
{
    public const string SkillId = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555";
    public const string UserId = "amzn1.ask.account.TESTUSER";
    public const string PersonId = "amzn1.ask.person.TESTPERSON";

    private readonly JsonObject _root;
    private static int _counter;
    private bool _timestampExplicit;

    private AlexaRequests(JsonObject request)
    {
        var id = Interlocked.Increment(ref _counter);
        _timestampExplicit = request["timestamp"] is not null;
        request["requestId"] ??= $"amzn1.echo-api.request.test-{id:D6}";
        request["timestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        request["locale"] ??= "en-US";
        _root = new JsonObject
        {
            ["version"] = "1.0",
            ["session"] = new JsonObject
            {
                ["new"] = true,
                ["sessionId"] = "amzn1.echo-api.session.test-session",
                ["application"] = new JsonObject { ["applicationId"] = SkillId },
                ["attributes"] = new JsonObject(),
                ["user"] = new JsonObject { ["userId"] = UserId },
            },
            ["context"] = new JsonObject
            {
                ["System"] = new JsonObject
                {
                    ["application"] = new JsonObject { ["applicationId"] = SkillId },
                    ["user"] = new JsonObject { ["userId"] = UserId },
                    ["person"] = new JsonObject { ["personId"] = PersonId },
                    ["device"] = new JsonObject { ["deviceId"] = "amzn1.ask.device.TEST", ["supportedInterfaces"] = new JsonObject() },
                    ["apiEndpoint"] = "https://api.amazonalexa.com",
                    ["apiAccessToken"] = "test-access-token",
                },
            },
            ["request"] = request,
        };
    }

    /// <summary>A LaunchRequest.</summary>
    public static AlexaRequests Launch() => new(new JsonObject { ["type"] = "LaunchRequest" });

    /// <summary>An IntentRequest with slots given as name/value pairs (a null value is an empty slot).</summary>
    public static AlexaRequests Intent(string name, params (string Name, string? Value)[] slots)
    {
        var slotsJson = new JsonObject();
        foreach (var (slotName, value) in slots)
        {
            var slot = new JsonObject { ["name"] = slotName, ["confirmationStatus"] = "NONE" };
            if (value is not null) { slot["value"] = value; slot["source"] = "USER"; }
            slotsJson[slotName] = slot;
        }
        return new(new JsonObject
        {
            ["type"] = "IntentRequest",
            ["dialogState"] = "STARTED",
            ["intent"] = new JsonObject { ["name"] = name, ["confirmationStatus"] = "NONE", ["slots"] = slotsJson },
        });
    }

    /// <summary>A SessionEndedRequest.</summary>
    public static AlexaRequests SessionEnded(string reason = "USER_INITIATED", string? errorType = null) => new(new JsonObject
    {
        ["type"] = "SessionEndedRequest",
        ["reason"] = reason,
        ["error"] = errorType is null ? null : new JsonObject { ["type"] = errorType, ["message"] = "test error" },
    });

    /// <summary>Any request object, for request types the skill does not know.</summary>
    public static AlexaRequests Raw(JsonObject request) => new(request);

    /// <summary>The request object, for edits.</summary>
    public JsonObject Request => (JsonObject)_root["request"]!;

    /// <summary>The whole envelope, for edits.</summary>
    public JsonObject Root => _root;

    /// <summary>Sets the intent's confirmation status (CONFIRMED / DENIED).</summary>
    public AlexaRequests Confirmation(string status)
    {
        Request["intent"]!["confirmationStatus"] = status;
        Request["dialogState"] = "IN_PROGRESS";
        return this;
    }

    /// <summary>Sets the dialog state.</summary>
    public AlexaRequests Dialog(string state)
    {
        Request["dialogState"] = state;
        return this;
    }

    /// <summary>Adds entity resolution to a slot: a canonical match, or no match when name is null.</summary>
    public AlexaRequests Resolved(string slot, string? canonicalName, string? id = null)
    {
        var slotNode = (JsonObject)Request["intent"]!["slots"]![slot]!;
        var authority = new JsonObject
        {
            ["authority"] = $"amzn1.er-authority.echo-sdk.{SkillId}.TYPE",
            ["status"] = new JsonObject { ["code"] = canonicalName is null ? "ER_SUCCESS_NO_MATCH" : "ER_SUCCESS_MATCH" },
        };
        if (canonicalName is not null)
            authority["values"] = new JsonArray(new JsonObject { ["value"] = new JsonObject { ["name"] = canonicalName, ["id"] = id ?? canonicalName.ToUpperInvariant() } });
        slotNode["resolutions"] = new JsonObject { ["resolutionsPerAuthority"] = new JsonArray(authority) };
        return this;
    }

    /// <summary>Continues a session: not new, with the attributes the skill returned last.</summary>
    public AlexaRequests InSession(JsonObject? attributes, string sessionId = "amzn1.echo-api.session.test-session")
    {
        var session = (JsonObject)_root["session"]!;
        session["new"] = false;
        session["sessionId"] = sessionId;
        session["attributes"] = attributes?.DeepClone() ?? new JsonObject();
        return this;
    }

    /// <summary>Sets the skill id in both places Alexa puts it.</summary>
    public AlexaRequests FromSkill(string applicationId)
    {
        _root["session"]!["application"]!["applicationId"] = applicationId;
        _root["context"]!["System"]!["application"]!["applicationId"] = applicationId;
        return this;
    }

    /// <summary>Sets the Alexa account (user id) the request comes from.</summary>
    public AlexaRequests Account(string userId)
    {
        if (_root["session"]?["user"] is JsonObject sessionUser) sessionUser["userId"] = userId;
        _root["context"]!["System"]!["user"] = new JsonObject { ["userId"] = userId };
        return this;
    }

    /// <summary>Sets or removes (null) the recognised speaker.</summary>
    public AlexaRequests Speaker(string? personId)
    {
        var system = (JsonObject)_root["context"]!["System"]!;
        if (personId is null) system.Remove("person");
        else system["person"] = new JsonObject { ["personId"] = personId };
        return this;
    }

    /// <summary>Sets the request timestamp.</summary>
    public AlexaRequests At(DateTimeOffset timestamp)
    {
        Request["timestamp"] = timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        _timestampExplicit = true;
        return this;
    }

    /// <summary>Removes the request timestamp.</summary>
    public AlexaRequests WithoutTimestamp()
    {
        Request.Remove("timestamp");
        _timestampExplicit = true;
        return this;
    }

    /// <summary>Stamps the request with the sender's clock, as Alexa does, unless a test set the timestamp.</summary>
    public AlexaRequests StampIfUnset(DateTimeOffset now)
    {
        if (!_timestampExplicit) Request["timestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        return this;
    }

    /// <summary>Sets (or empties, with null) one slot of the intent, adding it if missing.</summary>
    public AlexaRequests WithSlot(string name, string? value)
    {
        var intent = (JsonObject)Request["intent"]!;
        if (intent["slots"] is not JsonObject slots) intent["slots"] = slots = new JsonObject();
        var slot = new JsonObject { ["name"] = name, ["confirmationStatus"] = "NONE" };
        if (value is not null) { slot["value"] = value; slot["source"] = "USER"; }
        slots[name] = slot;
        return this;
    }

    /// <summary>Sets the request id.</summary>
    public AlexaRequests WithRequestId(string requestId)
    {
        Request["requestId"] = requestId;
        return this;
    }

    /// <summary>The request id.</summary>
    public string RequestId => (string)Request["requestId"]!;

    /// <summary>The JSON text.</summary>
    public string Json => _root.ToJsonString();

    public override string ToString() => Json;
}
