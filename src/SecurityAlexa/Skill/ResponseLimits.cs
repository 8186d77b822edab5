using System.Text.Json;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>
/// Keeps responses inside Alexa's limits: speech under 8,000 characters and the whole response at
/// most 24 KB. Speech that is too long is cut at a sentence, with the rest moved to the card.
/// </summary>
public static class ResponseLimits
{
    /// <summary>Alexa's limit on outputSpeech, in characters.</summary>
    public const int MaxSpeechChars = 8000;

    /// <summary>Alexa's limit on the whole response, in bytes.</summary>
    public const int MaxResponseBytes = 24 * 1024;

    // Room left for the pointer sentence and the speak element.
    private const int SpeechCutAt = 7000;

    /// <summary>Shortens speech and card so the response fits, and returns its UTF-8 JSON.</summary>
    public static byte[] Serialize(SkillResponse response, string morePointer, string cardTitle)
    {
        var speech = response.Response.OutputSpeech;
        if (speech is not null && SpeechLength(speech) >= MaxSpeechChars)
        {
            var full = speech.SpokenText;
            var cut = CutAtSentence(full, SpeechCutAt);
            response.Response.OutputSpeech = OutputSpeech.FromSsml(Ssml.Escape(cut + " " + morePointer));
            var card = response.Response.Card ??= Card.Simple(cardTitle, "");
            card.Body = string.IsNullOrEmpty(card.Body) ? full : card.Body + "\n\n" + full;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, AlexaJsonContext.Default.SkillResponse);
        if (bytes.Length <= MaxResponseBytes || response.Response.Card is not { } tooBig) return bytes;

        // Only the card is shortened: speech is already bounded and session state must never be lost.
        var overflow = bytes.Length - MaxResponseBytes;
        var body = tooBig.Body;
        var keep = Math.Max(0, body.Length - overflow - 64);
        tooBig.Body = body[..keep] + " …";
        bytes = JsonSerializer.SerializeToUtf8Bytes(response, AlexaJsonContext.Default.SkillResponse);
        while (bytes.Length > MaxResponseBytes && tooBig.Body.Length > 0)
        {
            tooBig.Body = tooBig.Body[..(tooBig.Body.Length / 2)] + " …";
            // Halving a body of 4 characters or fewer and adding the ellipsis no longer shortens it: stop there.
            if (tooBig.Body.Length <= 4) tooBig.Body = "";
            bytes = JsonSerializer.SerializeToUtf8Bytes(response, AlexaJsonContext.Default.SkillResponse);
        }
        return bytes;
    }

    private static int SpeechLength(OutputSpeech speech) => (speech.Ssml ?? speech.Text ?? "").Length;

    private static string CutAtSentence(string text, int max)
    {
        if (text.Length <= max) return text;
        var end = text.LastIndexOf(". ", max, StringComparison.Ordinal);
        return end > max / 2 ? text[..(end + 1)] : text[..max];
    }
}
