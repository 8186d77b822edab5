using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>
/// Keeps responses inside Alexa's limits: speech under 8,000 characters and the whole response at
/// most 24 KB. Speech that is too long is cut at a sentence, with the rest moved to the card. A screen is
/// dropped first, then the card shortened, and only then the speech.
/// Session attributes are never shortened: they carry what the next turn needs.
/// </summary>
internal static class ResponseLimits
{
    /// <summary>Alexa's limit on outputSpeech, in characters.</summary>
    public const int MaxSpeechChars = 8000;

    /// <summary>Alexa's limit on the whole response, in bytes.</summary>
    public const int MaxResponseBytes = 24 * 1024;

    // Room left under the limit for the pointer sentence and the speak element.
    private const int SpeechCutAt = 7000;

    // Marks a card body that was shortened.
    private const string Ellipsis = " …";

    /// <summary>Shortens speech, reprompt and card so the response fits, and returns its UTF-8 JSON.</summary>
    public static byte[] Serialize(SkillResponse response, string morePointer, string cardTitle)
    {
        var body = response.Response;
        var fullSpeech = body.OutputSpeech?.SpokenText;
        var fullReprompt = body.Reprompt?.OutputSpeech?.SpokenText;
        if (body.OutputSpeech is { } speech && SpeechLength(speech) >= MaxSpeechChars)
        {
            body.OutputSpeech = CutSpeech(fullSpeech!, SpeechCutAt, morePointer);
            var card = body.Card ??= Card.Simple(cardTitle, "");
            card.Body = string.IsNullOrEmpty(card.Body) ? fullSpeech! : card.Body + "\n\n" + fullSpeech;
        }
        if (body.Reprompt?.OutputSpeech is { } reprompt && SpeechLength(reprompt) >= MaxSpeechChars)
            body.Reprompt.OutputSpeech = CutSpeech(fullReprompt!, SpeechCutAt, "");

        var bytes = ToJson(response);
        if (bytes.Length <= MaxResponseBytes) return bytes;

        // A screen only repeats what is said and shown on the card: it goes before either is shortened.
        if (Screens.Screen.DropFrom(response))
        {
            bytes = ToJson(response);
            if (bytes.Length <= MaxResponseBytes) return bytes;
        }

        // First the card gives way: it is the long form, and the speech points to it. Characters cost
        // different numbers of bytes, so the longest prefix that fits is found by bisection.
        if (body.Card is { Body.Length: > 0 } tooBig)
        {
            var full = tooBig.Body;
            int fits = 0, tooLong = full.Length;
            while (tooLong - fits > 1)
            {
                var mid = fits + (tooLong - fits) / 2;
                tooBig.Body = SafePrefix(full, mid) + Ellipsis;
                if (ToJson(response).Length <= MaxResponseBytes) fits = mid;
                else tooLong = mid;
            }
            tooBig.Body = fits == 0 ? "" : SafePrefix(full, fits) + Ellipsis;
            bytes = ToJson(response);
        }

        // Then speech and reprompt: in multi-byte languages 8,000 characters can exceed 24 KB on their own.
        var budget = SpeechCutAt;
        while (bytes.Length > MaxResponseBytes && budget > 100
            && (body.OutputSpeech is not null || body.Reprompt?.OutputSpeech is not null))
        {
            budget /= 2;
            if (body.OutputSpeech is not null) body.OutputSpeech = CutSpeech(fullSpeech!, budget, morePointer);
            if (body.Reprompt?.OutputSpeech is not null) body.Reprompt.OutputSpeech = CutSpeech(fullReprompt!, budget, "");
            bytes = ToJson(response);
        }
        return bytes;
    }

    private static byte[] ToJson(SkillResponse response) => SkillResponseWriter.ToUtf8Bytes(response);

    private static int SpeechLength(OutputSpeech speech) => (speech.Ssml ?? speech.Text ?? "").Length;

    // Cuts plain text at a sentence so that, escaped as SSML, it stays within max characters.
    private static OutputSpeech CutSpeech(string text, int max, string pointer)
    {
        var cut = CutAtSentence(text, max);
        var result = OutputSpeech.FromSsml(Ssml.Escape(Join(cut, pointer)));
        // Escaping can lengthen text ("&" becomes "&amp;"); cut harder until it fits.
        while (result.Ssml!.Length > max + pointer.Length + 32 && cut.Length > 0)
        {
            cut = CutAtSentence(cut, cut.Length * 3 / 4);
            result = OutputSpeech.FromSsml(Ssml.Escape(Join(cut, pointer)));
        }
        return result;
    }

    private static string Join(string cut, string pointer) => pointer.Length == 0 ? cut : cut + " " + pointer;

    private static string CutAtSentence(string text, int max)
    {
        if (text.Length <= max) return text;
        var end = text.LastIndexOf(". ", max, StringComparison.Ordinal);
        return end > max / 2 ? text[..(end + 1)] : SafePrefix(text, max);
    }

    // Never split a surrogate pair: half a character is invalid UTF-16 and cannot be serialized.
    private static string SafePrefix(string text, int length)
    {
        if (length >= text.Length) return text;
        if (length > 0 && char.IsHighSurrogate(text[length - 1])) length--;
        return text[..length];
    }
}
