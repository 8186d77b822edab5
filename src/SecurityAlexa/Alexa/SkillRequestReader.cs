using System.Text.Json;

namespace SecurityAlexa.Alexa;

/// <summary>
/// Reads a <see cref="SkillRequest"/> straight off a <see cref="Utf8JsonReader"/>, as
/// <c>AlexaJsonContext.Default.SkillRequest</c> reads it (the same options, the same result, a
/// <see cref="JsonException"/> where it throws one), without building System.Text.Json's metadata for the
/// request's types: on a cold start that metadata costs more than reading the request (issue 18).
/// <c>SkillRequestReaderTests</c> hold the two readers to the same answers.
/// </summary>
internal static class SkillRequestReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    private delegate T? ReadValue<T>(ref Utf8JsonReader reader);

    /// <summary>The request, or null for a JSON <c>null</c>.</summary>
    public static SkillRequest? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        if (!reader.Read()) throw Fail("the input holds no JSON value");
        var request = ReadEnvelope(ref reader);
        // Anything but whitespace and comments after the value is rejected by the reader itself.
        if (reader.Read()) throw Fail("more than one JSON value");
        return request;
    }

    private static SkillRequest? ReadEnvelope(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, SkillRequest result) =>
        {
            if (r.ValueTextEquals("version"u8)) result.Version = Text(ref r);
            else if (r.ValueTextEquals("session"u8)) result.Session = Value(ref r, ReadSession);
            else if (r.ValueTextEquals("context"u8)) result.Context = Value(ref r, ReadContext);
            else if (r.ValueTextEquals("request"u8)) result.Request = Value(ref r, ReadRequest);
            else return false;
            return true;
        });

    private static Session? ReadSession(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Session result) =>
        {
            if (r.ValueTextEquals("new"u8)) result.New = Bool(ref r);
            else if (r.ValueTextEquals("sessionId"u8)) result.SessionId = Text(ref r);
            else if (r.ValueTextEquals("application"u8)) result.Application = Value(ref r, ReadApplication);
            else if (r.ValueTextEquals("user"u8)) result.User = Value(ref r, ReadUser);
            else if (r.ValueTextEquals("attributes"u8)) result.Attributes = Map(ref r, Element);
            else return false;
            return true;
        });

    private static RequestContext? ReadContext(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, RequestContext result) =>
        {
            if (r.ValueTextEquals("System"u8)) result.System = Value(ref r, ReadSystem);
            else return false;
            return true;
        });

    private static SystemContext? ReadSystem(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, SystemContext result) =>
        {
            if (r.ValueTextEquals("application"u8)) result.Application = Value(ref r, ReadApplication);
            else if (r.ValueTextEquals("user"u8)) result.User = Value(ref r, ReadUser);
            else if (r.ValueTextEquals("device"u8)) result.Device = Value(ref r, ReadDevice);
            else if (r.ValueTextEquals("person"u8)) result.Person = Value(ref r, ReadPerson);
            else if (r.ValueTextEquals("unit"u8)) result.Unit = Value(ref r, ReadUnit);
            else if (r.ValueTextEquals("apiEndpoint"u8)) result.ApiEndpoint = Text(ref r);
            else if (r.ValueTextEquals("apiAccessToken"u8)) result.ApiAccessToken = Text(ref r);
            else return false;
            return true;
        });

    private static Application? ReadApplication(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Application result) =>
        {
            if (r.ValueTextEquals("applicationId"u8)) result.ApplicationId = Text(ref r);
            else return false;
            return true;
        });

    private static User? ReadUser(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, User result) =>
        {
            if (r.ValueTextEquals("userId"u8)) result.UserId = Text(ref r);
            else if (r.ValueTextEquals("accessToken"u8)) result.AccessToken = Text(ref r);
            else return false;
            return true;
        });

    private static Device? ReadDevice(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Device result) =>
        {
            if (r.ValueTextEquals("deviceId"u8)) result.DeviceId = Text(ref r);
            else if (r.ValueTextEquals("supportedInterfaces"u8)) result.SupportedInterfaces = Map(ref r, Element);
            else return false;
            return true;
        });

    private static Person? ReadPerson(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Person result) =>
        {
            if (r.ValueTextEquals("personId"u8)) result.PersonId = Text(ref r);
            else if (r.ValueTextEquals("accessToken"u8)) result.AccessToken = Text(ref r);
            else return false;
            return true;
        });

    private static Unit? ReadUnit(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Unit result) =>
        {
            if (r.ValueTextEquals("unitId"u8)) result.UnitId = Text(ref r);
            else if (r.ValueTextEquals("persistentUnitId"u8)) result.PersistentUnitId = Text(ref r);
            else return false;
            return true;
        });

    // The request is polymorphic on "type", which may come anywhere in the object (AllowOutOfOrderMetadataProperties).
    private static Request? ReadRequest(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r)) return null;
        var type = Discriminator(r);
        Request result = type switch
        {
            "LaunchRequest" => new LaunchRequest(),
            "IntentRequest" => new IntentRequest(),
            "SessionEndedRequest" => new SessionEndedRequest(),
            "System.ExceptionEncountered" => new SystemExceptionRequest(),
            "CanFulfillIntentRequest" => new CanFulfillIntentRequest(),
            AplUserEventRequest.TypeName => new AplUserEventRequest(),
            _ => new Request(),
        };
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) Skip(ref r);
            else if (r.ValueTextEquals("requestId"u8)) result.RequestId = Text(ref r);
            else if (r.ValueTextEquals("timestamp"u8)) result.Timestamp = Timestamp(ref r);
            else if (r.ValueTextEquals("locale"u8)) result.Locale = Text(ref r);
            else if (!ReadOwnProperty(ref r, result)) Skip(ref r);
        }
        return result;
    }

    private static bool ReadOwnProperty(ref Utf8JsonReader r, Request request)
    {
        switch (request)
        {
            case IntentRequest intent when r.ValueTextEquals("dialogState"u8):
                intent.DialogState = Text(ref r);
                return true;
            case IntentRequest intent when r.ValueTextEquals("intent"u8):
                intent.Intent = Value(ref r, ReadIntent);
                return true;
            case CanFulfillIntentRequest can when r.ValueTextEquals("intent"u8):
                can.Intent = Value(ref r, ReadIntent);
                return true;
            case SessionEndedRequest ended when r.ValueTextEquals("reason"u8):
                ended.Reason = Text(ref r);
                return true;
            case SessionEndedRequest ended when r.ValueTextEquals("error"u8):
                ended.Error = Value(ref r, ReadError);
                return true;
            case SystemExceptionRequest failed when r.ValueTextEquals("error"u8):
                failed.Error = Value(ref r, ReadError);
                return true;
            case SystemExceptionRequest failed when r.ValueTextEquals("cause"u8):
                failed.Cause = Value(ref r, ReadCause);
                return true;
            case AplUserEventRequest touch when r.ValueTextEquals("token"u8):
                touch.Token = Text(ref r);
                return true;
            case AplUserEventRequest touch when r.ValueTextEquals("arguments"u8):
                touch.Arguments = List(ref r, Element);
                return true;
            case AplUserEventRequest touch when r.ValueTextEquals("source"u8):
                touch.Source = NullableElement(ref r);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The object's "type", read ahead on a copy of the reader (a struct), so that the object is read once into the
    /// right class. As System.Text.Json does: a string names the class (unknown: the base class); an integer matches
    /// none; any other value, a second "type", or any property whose name starts with '$' (metadata) is refused.
    /// </summary>
    private static string? Discriminator(Utf8JsonReader ahead)
    {
        string? found = null;
        var seen = false;
        while (NextProperty(ref ahead))
        {
            if (ahead.ValueIsEscaped ? ahead.GetString()!.StartsWith('$') : ahead.ValueSpan is [(byte)'$', ..])
                throw Fail("a property of the request starts with '$'");
            if (!ahead.ValueTextEquals("type"u8))
            {
                Skip(ref ahead);
                continue;
            }
            if (seen) throw Fail("the request's type is given twice");
            seen = true;
            ahead.Read();
            if (ahead.TokenType == JsonTokenType.String) found = ahead.GetString();
            else if (ahead.TokenType != JsonTokenType.Number || !ahead.TryGetInt32(out _))
                throw Fail("the request's type is neither a string nor an integer");
        }
        return found;
    }

    private static Intent? ReadIntent(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Intent result) =>
        {
            if (r.ValueTextEquals("name"u8)) result.Name = Text(ref r);
            else if (r.ValueTextEquals("confirmationStatus"u8)) result.ConfirmationStatus = Text(ref r);
            else if (r.ValueTextEquals("slots"u8)) result.Slots = Map(ref r, ReadSlot);
            else return false;
            return true;
        });

    private static Slot? ReadSlot(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Slot result) =>
        {
            if (r.ValueTextEquals("name"u8)) result.Name = Text(ref r);
            else if (r.ValueTextEquals("value"u8)) result.Value = Text(ref r);
            else if (r.ValueTextEquals("confirmationStatus"u8)) result.ConfirmationStatus = Text(ref r);
            else if (r.ValueTextEquals("source"u8)) result.Source = Text(ref r);
            else if (r.ValueTextEquals("resolutions"u8)) result.Resolutions = Value(ref r, ReadResolutions);
            else if (r.ValueTextEquals("slotValue"u8)) result.SlotValue = Value(ref r, ReadSlotValue);
            else return false;
            return true;
        });

    private static SlotValue? ReadSlotValue(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, SlotValue result) =>
        {
            if (r.ValueTextEquals("type"u8)) result.Type = Text(ref r);
            else if (r.ValueTextEquals("value"u8)) result.Value = Text(ref r);
            else if (r.ValueTextEquals("resolutions"u8)) result.Resolutions = Value(ref r, ReadResolutions);
            else if (r.ValueTextEquals("values"u8)) result.Values = List(ref r, ReadSlotValue);
            else return false;
            return true;
        });

    private static Resolutions? ReadResolutions(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, Resolutions result) =>
        {
            if (r.ValueTextEquals("resolutionsPerAuthority"u8)) result.ResolutionsPerAuthority = List(ref r, ReadAuthority);
            else return false;
            return true;
        });

    private static ResolutionAuthority? ReadAuthority(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, ResolutionAuthority result) =>
        {
            if (r.ValueTextEquals("authority"u8)) result.Authority = Text(ref r);
            else if (r.ValueTextEquals("status"u8)) result.Status = Value(ref r, ReadStatus);
            else if (r.ValueTextEquals("values"u8)) result.Values = List(ref r, ReadValueWrapper);
            else return false;
            return true;
        });

    private static ResolutionStatus? ReadStatus(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, ResolutionStatus result) =>
        {
            if (r.ValueTextEquals("code"u8)) result.Code = Text(ref r);
            else return false;
            return true;
        });

    private static ResolutionValueWrapper? ReadValueWrapper(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, ResolutionValueWrapper result) =>
        {
            if (r.ValueTextEquals("value"u8)) result.Value = Value(ref r, ReadResolutionValue);
            else return false;
            return true;
        });

    private static ResolutionValue? ReadResolutionValue(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, ResolutionValue result) =>
        {
            if (r.ValueTextEquals("name"u8)) result.Name = Text(ref r);
            else if (r.ValueTextEquals("id"u8)) result.Id = Text(ref r);
            else return false;
            return true;
        });

    private static AlexaError? ReadError(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, AlexaError result) =>
        {
            if (r.ValueTextEquals("type"u8)) result.Type = Text(ref r);
            else if (r.ValueTextEquals("message"u8)) result.Message = Text(ref r);
            else return false;
            return true;
        });

    private static ExceptionCause? ReadCause(ref Utf8JsonReader reader) =>
        Object(ref reader, static (ref Utf8JsonReader r, ExceptionCause result) =>
        {
            if (r.ValueTextEquals("requestId"u8)) result.RequestId = Text(ref r);
            else return false;
            return true;
        });

    private delegate bool ReadProperty<in T>(ref Utf8JsonReader reader, T target);

    // An object whose properties one function reads (false: not one of its properties, skipped); null for a JSON null.
    private static T? Object<T>(ref Utf8JsonReader r, ReadProperty<T> property) where T : class, new()
    {
        if (!StartObject(ref r)) return null;
        var result = new T();
        while (NextProperty(ref r))
        {
            if (property(ref r, result)) continue;
            // An escaped name is decoded even when unused: System.Text.Json refuses one that is not valid UTF-16 (a lone
            // surrogate), and so must this.
            if (r.ValueIsEscaped) _ = r.GetString();
            Skip(ref r);
        }
        return result;
    }

    // The reader is on the value's first token. True for an object; false for null; anything else is refused.
    private static bool StartObject(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.StartObject => true,
        JsonTokenType.Null => false,
        _ => throw Fail($"expected an object, found {r.TokenType}"),
    };

    // Moves to the next property name of the current object; false at its end.
    private static bool NextProperty(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.PropertyName;
    }

    // The reader is on a property name: reads and parses its value.
    private static T? Value<T>(ref Utf8JsonReader r, ReadValue<T> read) where T : class
    {
        r.Read();
        return read(ref r);
    }

    private static void Skip(ref Utf8JsonReader r)
    {
        r.Read();
        r.Skip();
    }

    private static string? Text(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.String => r.GetString(),
            JsonTokenType.Null => null,
            _ => throw Fail($"expected a string, found {r.TokenType}"),
        };
    }

    private static bool Bool(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw Fail($"expected true or false, found {r.TokenType}"),
        };
    }

    // As FlexibleTimestampConverter reads it (HandleNull: a null reaches it too).
    private static DateTimeOffset? Timestamp(ref Utf8JsonReader r)
    {
        r.Read();
        return FlexibleTimestampConverter.ReadValue(ref r);
    }

    // A JsonElement property: a null is a Null element, as System.Text.Json reads it.
    private static JsonElement Element(ref Utf8JsonReader r) => JsonElement.ParseValue(ref r);

    private static JsonElement? NullableElement(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref r);
    }

    private static Dictionary<string, T>? Map<T>(ref Utf8JsonReader r, ReadValue<T> read)
    {
        r.Read();
        if (!StartObject(ref r)) return null;
        var result = new Dictionary<string, T>();
        while (NextProperty(ref r))
        {
            var key = r.GetString()!;
            r.Read();
            result[key] = read(ref r)!;
        }
        return result;
    }

    private static List<T>? List<T>(ref Utf8JsonReader r, ReadValue<T> read)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.StartArray) throw Fail($"expected an array, found {r.TokenType}");
        var result = new List<T>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray) result.Add(read(ref r)!);
        return result;
    }

    private static JsonException Fail(string why) => new("Unreadable Alexa request: " + why + ".");
}
