using System.Text;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill.Speech;

/// <summary>
/// A piece of speech held both as an SSML body (escaped) and as plain text, so that text from AWS
/// (tag values, names) can never inject SSML, while the skill can still use say-as markup.
/// </summary>
internal sealed class Spoken
{
    /// <summary>Nothing to say.</summary>
    public static readonly Spoken Empty = new("", "");

    private Spoken(string ssmlBody, string text)
    {
        SsmlBody = ssmlBody;
        Text = text;
    }

    /// <summary>The SSML body, without the speak element; every piece of outside text in it is escaped.</summary>
    public string SsmlBody { get; }

    /// <summary>The same speech as plain text.</summary>
    public string Text { get; }

    /// <summary>True when there is nothing to say.</summary>
    public bool IsEmpty => Text.Length == 0 && SsmlBody.Length == 0;

    /// <summary>Plain text, escaped for SSML.</summary>
    public static Spoken Plain(string text) => new(Ssml.Escape(text), text);

    /// <summary>Text read out character by character ("4 f 2 a"), for instance id endings.</summary>
    public static Spoken Characters(string text) =>
        new("<say-as interpret-as=\"characters\">" + Ssml.Escape(text) + "</say-as>", text);

    /// <summary>
    /// Joins pieces with a space between non-empty ones; after Japanese punctuation ("。", "？") nothing is
    /// added, as Japanese writes sentences without spaces.
    /// </summary>
    public static Spoken Join(params IEnumerable<Spoken?> parts)
    {
        var ssml = new StringBuilder();
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is null || part.IsEmpty) continue;
            if (text.Length > 0 && !EndsSentenceWithoutSpace(text[^1])) { ssml.Append(' '); text.Append(' '); }
            ssml.Append(part.SsmlBody);
            text.Append(part.Text);
        }
        return new Spoken(ssml.ToString(), text.ToString());
    }

    private static bool EndsSentenceWithoutSpace(char c) => c is '。' or '？' or '！' or '」' or '、';

    /// <summary>This speech without a closing phrase ("Anything else?"), when it ends with it; otherwise unchanged.</summary>
    public Spoken WithoutEnding(Spoken ending)
    {
        if (ending.IsEmpty || !Text.EndsWith(ending.Text, StringComparison.Ordinal)
            || !SsmlBody.EndsWith(ending.SsmlBody, StringComparison.Ordinal)) return this;
        return new Spoken(SsmlBody[..^ending.SsmlBody.Length].TrimEnd(), Text[..^ending.Text.Length].TrimEnd());
    }

    /// <summary>Concatenates pieces with no separator.</summary>
    public static Spoken Concat(params IEnumerable<Spoken> parts)
    {
        var ssml = new StringBuilder();
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            ssml.Append(part.SsmlBody);
            text.Append(part.Text);
        }
        return new Spoken(ssml.ToString(), text.ToString());
    }

    /// <summary>The Alexa outputSpeech for this text.</summary>
    public OutputSpeech ToOutputSpeech() => OutputSpeech.FromSsml(SsmlBody);

    public override string ToString() => Text;

    public static implicit operator Spoken(string text) => Plain(text);
}
