using System.Text;
using System.Text.RegularExpressions;

namespace SecurityAlexa.Alexa;

/// <summary>SSML helpers: escaping text that goes into SSML, and reading SSML back as text.</summary>
internal static partial class Ssml
{
    /// <summary>Escapes text for use as SSML element content (never inside an attribute).</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default:
                    // Control characters are invalid in SSML; a line break still separates words.
                    sb.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Strips tags and decodes entities, for logs, cards and tests.</summary>
    public static string ToPlainText(string ssml)
    {
        var noTags = TagPattern().Replace(ssml, "");
        return noTags.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"").Replace("&apos;", "'").Replace("&amp;", "&")
            .Trim();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();
}
