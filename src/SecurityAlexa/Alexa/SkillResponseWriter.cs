using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecurityAlexa.Alexa;

/// <summary>
/// Writes a <see cref="SkillResponse"/> as UTF-8 JSON, byte for byte as the tests' <c>AlexaJsonContext.Wire</c> would:
/// same property order, nulls left out, the same relaxed escaping. It exists because building the serializer's
/// metadata for the whole response graph cost a noticeable share of a Native AOT cold start; a change to a
/// response type must be made here too (SkillResponseWriterTests compare the two).
/// </summary>
internal static class SkillResponseWriter
{
    // The serializer's default depth limit (64), so that what it refused is refused here too.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 64 };

    /// <summary>The response as UTF-8 JSON.</summary>
    public static byte[] ToUtf8Bytes(SkillResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Options)) Write(writer, response);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A progressive response's body as UTF-8 JSON: the request id as header, and <paramref name="speech"/> as a
    /// VoicePlayer.Speak directive, the only other JSON the function sends.
    /// </summary>
    public static byte[] ProgressiveBody(string requestId, string speech)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("header"u8);
            writer.WriteString("requestId"u8, requestId);
            writer.WriteEndObject();
            writer.WritePropertyName("directive"u8);
            Directive(writer, new VoicePlayerSpeak { Speech = speech });
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, SkillResponse response)
    {
        writer.WriteStartObject();
        String(writer, "version"u8, response.Version);
        if (response.SessionAttributes is { } attributes)
        {
            writer.WriteStartObject("sessionAttributes"u8);
            foreach (var (key, value) in attributes)
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        if (response.Response is { } body)
        {
            writer.WritePropertyName("response"u8);
            Body(writer, body);
        }
        writer.WriteEndObject();
    }

    private static void Body(Utf8JsonWriter writer, ResponseBody body)
    {
        writer.WriteStartObject();
        if (body.OutputSpeech is { } speech)
        {
            writer.WritePropertyName("outputSpeech"u8);
            Speech(writer, speech);
        }
        if (body.Card is { } card)
        {
            writer.WriteStartObject("card"u8);
            String(writer, "type"u8, card.Type);
            String(writer, "title"u8, card.Title);
            String(writer, "content"u8, card.Content);
            String(writer, "text"u8, card.Text);
            if (card.Image is { } image)
            {
                writer.WriteStartObject("image"u8);
                String(writer, "smallImageUrl"u8, image.SmallImageUrl);
                String(writer, "largeImageUrl"u8, image.LargeImageUrl);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        if (body.Reprompt is { } reprompt)
        {
            writer.WriteStartObject("reprompt"u8);
            if (reprompt.OutputSpeech is { } repromptSpeech)
            {
                writer.WritePropertyName("outputSpeech"u8);
                Speech(writer, repromptSpeech);
            }
            writer.WriteEndObject();
        }
        if (body.ShouldEndSession is { } end) writer.WriteBoolean("shouldEndSession"u8, end);
        if (body.Directives is { } directives)
        {
            writer.WriteStartArray("directives"u8);
            foreach (var directive in directives) Directive(writer, directive);
            writer.WriteEndArray();
        }
        if (body.CanFulfillIntent is { } canFulfill)
        {
            writer.WriteStartObject("canFulfillIntent"u8);
            String(writer, "canFulfill"u8, canFulfill.CanFulfill);
            if (canFulfill.Slots is { } slots)
            {
                writer.WriteStartObject("slots"u8);
                foreach (var (name, slot) in slots)
                {
                    writer.WritePropertyName(name);
                    if (slot is null) { writer.WriteNullValue(); continue; }
                    writer.WriteStartObject();
                    String(writer, "canUnderstand"u8, slot.CanUnderstand);
                    String(writer, "canFulfill"u8, slot.CanFulfill);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void Speech(Utf8JsonWriter writer, OutputSpeech speech)
    {
        writer.WriteStartObject();
        String(writer, "type"u8, speech.Type);
        String(writer, "text"u8, speech.Text);
        String(writer, "ssml"u8, speech.Ssml);
        String(writer, "playBehavior"u8, speech.PlayBehavior);
        writer.WriteEndObject();
    }

    // The serializer writes the discriminator first, then the derived type's own properties in declaration
    // order; a directive whose type it does not know is written without a discriminator, as {}.
    private static void Directive(Utf8JsonWriter writer, Directive? directive)
    {
        if (directive is null) { writer.WriteNullValue(); return; }
        writer.WriteStartObject();
        switch (directive)
        {
            case DialogDelegate d:
                writer.WriteString("type"u8, "Dialog.Delegate"u8);
                UpdatedIntent(writer, d.UpdatedIntent);
                break;
            case DialogElicitSlot d:
                writer.WriteString("type"u8, "Dialog.ElicitSlot"u8);
                String(writer, "slotToElicit"u8, d.SlotToElicit);
                UpdatedIntent(writer, d.UpdatedIntent);
                break;
            case DialogConfirmSlot d:
                writer.WriteString("type"u8, "Dialog.ConfirmSlot"u8);
                String(writer, "slotToConfirm"u8, d.SlotToConfirm);
                UpdatedIntent(writer, d.UpdatedIntent);
                break;
            case DialogConfirmIntent d:
                writer.WriteString("type"u8, "Dialog.ConfirmIntent"u8);
                UpdatedIntent(writer, d.UpdatedIntent);
                break;
            case DialogUpdateDynamicEntities d:
                writer.WriteString("type"u8, "Dialog.UpdateDynamicEntities"u8);
                DynamicEntities(writer, d);
                break;
            case VoicePlayerSpeak d:
                writer.WriteString("type"u8, "VoicePlayer.Speak"u8);
                String(writer, "speech"u8, d.Speech);
                break;
            case AplRenderDocument d:
                writer.WriteString("type"u8, "Alexa.Presentation.APL.RenderDocument"u8);
                RenderDocument(writer, d);
                break;
            case var _ when directive.GetType() != typeof(Directive):
                throw new NotSupportedException($"{directive.GetType().Name} is not a [JsonDerivedType] of Directive.");
        }
        writer.WriteEndObject();
    }

    private static void UpdatedIntent(Utf8JsonWriter writer, Intent? intent)
    {
        if (intent is null) return;
        writer.WritePropertyName("updatedIntent"u8);
        Intent(writer, intent);
    }

    private static void Intent(Utf8JsonWriter writer, Intent intent)
    {
        writer.WriteStartObject();
        String(writer, "name"u8, intent.Name);
        String(writer, "confirmationStatus"u8, intent.ConfirmationStatus);
        if (intent.Slots is { } slots)
        {
            writer.WriteStartObject("slots"u8);
            foreach (var (name, slot) in slots)
            {
                writer.WritePropertyName(name);
                Slot(writer, slot);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void Slot(Utf8JsonWriter writer, Slot? slot)
    {
        if (slot is null) { writer.WriteNullValue(); return; }
        writer.WriteStartObject();
        String(writer, "name"u8, slot.Name);
        String(writer, "value"u8, slot.Value);
        String(writer, "confirmationStatus"u8, slot.ConfirmationStatus);
        String(writer, "source"u8, slot.Source);
        Resolutions(writer, slot.Resolutions);
        if (slot.SlotValue is { } value)
        {
            writer.WritePropertyName("slotValue"u8);
            SlotValue(writer, value);
        }
        writer.WriteEndObject();
    }

    private static void SlotValue(Utf8JsonWriter writer, SlotValue? value)
    {
        if (value is null) { writer.WriteNullValue(); return; }
        writer.WriteStartObject();
        String(writer, "type"u8, value.Type);
        String(writer, "value"u8, value.Value);
        Resolutions(writer, value.Resolutions);
        if (value.Values is { } values)
        {
            writer.WriteStartArray("values"u8);
            foreach (var item in values) SlotValue(writer, item);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void Resolutions(Utf8JsonWriter writer, Resolutions? resolutions)
    {
        if (resolutions is null) return;
        writer.WriteStartObject("resolutions"u8);
        if (resolutions.ResolutionsPerAuthority is { } authorities)
        {
            writer.WriteStartArray("resolutionsPerAuthority"u8);
            foreach (var authority in authorities)
            {
                if (authority is null) { writer.WriteNullValue(); continue; }
                writer.WriteStartObject();
                String(writer, "authority"u8, authority.Authority);
                if (authority.Status is { } status)
                {
                    writer.WriteStartObject("status"u8);
                    String(writer, "code"u8, status.Code);
                    writer.WriteEndObject();
                }
                if (authority.Values is { } values)
                {
                    writer.WriteStartArray("values"u8);
                    foreach (var wrapper in values)
                    {
                        if (wrapper is null) { writer.WriteNullValue(); continue; }
                        writer.WriteStartObject();
                        if (wrapper.Value is { } value)
                        {
                            writer.WriteStartObject("value"u8);
                            String(writer, "name"u8, value.Name);
                            String(writer, "id"u8, value.Id);
                            writer.WriteEndObject();
                        }
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void DynamicEntities(Utf8JsonWriter writer, DialogUpdateDynamicEntities directive)
    {
        String(writer, "updateBehavior"u8, directive.UpdateBehavior);
        if (directive.Types is not { } types) return;
        writer.WriteStartArray("types"u8);
        foreach (var type in types)
        {
            if (type is null) { writer.WriteNullValue(); continue; }
            writer.WriteStartObject();
            String(writer, "name"u8, type.Name);
            if (type.Values is { } values)
            {
                writer.WriteStartArray("values"u8);
                foreach (var value in values)
                {
                    if (value is null) { writer.WriteNullValue(); continue; }
                    writer.WriteStartObject();
                    String(writer, "id"u8, value.Id);
                    if (value.Name is { } name)
                    {
                        writer.WriteStartObject("name"u8);
                        String(writer, "value"u8, name.Value);
                        Strings(writer, "synonyms"u8, name.Synonyms);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void RenderDocument(Utf8JsonWriter writer, AplRenderDocument directive)
    {
        String(writer, "token"u8, directive.Token);
        writer.WritePropertyName("document"u8);
        directive.Document.WriteTo(writer);
        if (directive.DataSources is not { } sources) return;
        writer.WriteStartObject("datasources"u8);
        foreach (var (name, data) in sources)
        {
            writer.WritePropertyName(name);
            ScreenData(writer, data);
        }
        writer.WriteEndObject();
    }

    private static void ScreenData(Utf8JsonWriter writer, ScreenData? data)
    {
        if (data is null) { writer.WriteNullValue(); return; }
        writer.WriteStartObject();
        String(writer, "title"u8, data.Title);
        String(writer, "subtitle"u8, data.Subtitle);
        String(writer, "summary"u8, data.Summary);
        String(writer, "barsTitle"u8, data.BarsTitle);
        if (data.Bars is { } bars)
        {
            writer.WriteStartArray("bars"u8);
            foreach (var bar in bars)
            {
                if (bar is null) { writer.WriteNullValue(); continue; }
                writer.WriteStartObject();
                String(writer, "label"u8, bar.Label);
                writer.WriteNumber("count"u8, bar.Count);
                String(writer, "text"u8, bar.Text);
                String(writer, "width"u8, bar.Width);
                String(writer, "color"u8, bar.Color);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        String(writer, "listTitle"u8, data.ListTitle);
        if (data.Items is { } items)
        {
            writer.WriteStartArray("items"u8);
            foreach (var item in items)
            {
                if (item is null) { writer.WriteNullValue(); continue; }
                writer.WriteStartObject();
                String(writer, "id"u8, item.Id);
                String(writer, "title"u8, item.Title);
                String(writer, "detail"u8, item.Detail);
                String(writer, "badge"u8, item.Badge);
                String(writer, "color"u8, item.Color);
                Strings(writer, "lines"u8, item.Lines);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        String(writer, "more"u8, data.More);
        String(writer, "hint"u8, data.Hint);
        writer.WriteEndObject();
    }

    // WhenWritingNull leaves out every null reference, whether or not the property is declared nullable.
    private static void String(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    private static void Strings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<string>? values)
    {
        if (values is null) return;
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
