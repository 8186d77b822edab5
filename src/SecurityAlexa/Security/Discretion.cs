using System.Text;
using System.Text.RegularExpressions;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Security;

/// <summary>
/// What may be said out loud in a room. Private addresses and account ids never are; instance ids only
/// as far as SPEAK_INSTANCE_IDS allows. Handlers refer to instances through <see cref="Instance(TurnContext, InstanceInfo)"/>;
/// the pipeline applies <see cref="Apply"/> to every response as a last safety net, moving the full
/// sentence to the card.
/// </summary>
internal static partial class Discretion
{
    /// <summary>How to refer to an instance in speech: its name, or as much of its id as may be spoken.</summary>
    public static Spoken Instance(TurnContext turn, InstanceInfo instance)
        => Instance(turn.Lang, turn.Security, instance.Name, instance.Id);

    /// <summary>How to refer to an instance in speech, from its name (if any) and id.</summary>
    public static Spoken Instance(TurnContext turn, string? name, string id) => Instance(turn.Lang, turn.Security, name, id);

    /// <summary>How to refer to an instance in speech, from its name (if any) and id.</summary>
    public static Spoken Instance(Lang lang, SecuritySettings settings, string? name, string id)
    {
        // Names such as "ip-10-0-1-11" are addresses in disguise.
        if (!string.IsNullOrWhiteSpace(name) && !ContainsSensitive(name, settings)) return Spoken.Plain(name.Trim());
        return IdSpeech(lang, settings, id);
    }

    /// <summary>True when the text holds something that must not be spoken under these settings.</summary>
    public static bool ContainsSensitive(string text, SecuritySettings settings) =>
        (settings.SpeakInstanceIds != InstanceIdSpeech.Full && InstanceIdPattern().IsMatch(text))
        || PrivateHostnamePattern().IsMatch(text) || PrivateIpv4Pattern().IsMatch(text)
        || PrivateIpv6Pattern().IsMatch(text) || AccountIdPattern().IsMatch(text);

    /// <summary>Plain text with everything unspeakable replaced by a neutral phrase.</summary>
    public static string RedactText(string text, Lang lang, SecuritySettings settings)
        => Redact(text, lang, settings, ssml: false, insideSayAs: false);

    /// <summary>
    /// The final safety net: rewrites speech and reprompt that would say something unspeakable, and puts
    /// the full original sentence on the card. Returns true when anything was changed.
    /// </summary>
    public static bool Apply(SkillResponse response, Lang lang, SecuritySettings settings)
    {
        var body = response.Response;
        var original = body.OutputSpeech?.SpokenText ?? "";
        var originalReprompt = body.Reprompt?.OutputSpeech?.SpokenText ?? "";
        var spoken = Scrub(body.OutputSpeech, lang, settings);
        var reprompted = Scrub(body.Reprompt?.OutputSpeech, lang, settings);
        if (!spoken && !reprompted) return false;

        var pointer = lang.Text("security.detailsOnCard");
        if (spoken && body.OutputSpeech is { Type: "SSML", Ssml: { } ssml } speech && ssml.EndsWith("</speak>", StringComparison.Ordinal))
            speech.Ssml = ssml[..^"</speak>".Length] + " " + Ssml.Escape(pointer) + "</speak>";
        else if (spoken && body.OutputSpeech is { Type: "PlainText" } plain)
            plain.Text += " " + pointer;

        var card = body.Card ??= Card.Simple(lang.Text("card.title"), "");
        var details = spoken ? original : originalReprompt;
        card.Body = string.IsNullOrEmpty(card.Body) ? details : card.Body + "\n\n" + details;
        return true;
    }

    private static bool Scrub(OutputSpeech? speech, Lang lang, SecuritySettings settings)
    {
        if (speech is null) return false;
        if (speech.Type == "SSML" && speech.Ssml is { } ssml)
        {
            var safe = RedactSsml(ssml, lang, settings);
            if (safe == ssml) return false;
            speech.Ssml = safe;
            return true;
        }
        if (speech.Text is { } text)
        {
            var safe = RedactText(text, lang, settings);
            if (safe == text) return false;
            speech.Text = safe;
            return true;
        }
        return false;
    }

    // Only text between tags is rewritten, so markup and attribute values stay intact.
    private static string RedactSsml(string ssml, Lang lang, SecuritySettings settings)
    {
        var result = new StringBuilder(ssml.Length);
        var sayAsDepth = 0;
        var last = 0;
        foreach (var tag in TagPattern().EnumerateMatches(ssml))
        {
            result.Append(Redact(ssml[last..tag.Index], lang, settings, ssml: true, insideSayAs: sayAsDepth > 0));
            var markup = ssml.AsSpan(tag.Index, tag.Length);
            if (markup.StartsWith("<say-as", StringComparison.Ordinal) && !markup.EndsWith("/>", StringComparison.Ordinal)) sayAsDepth++;
            else if (markup.StartsWith("</say-as", StringComparison.Ordinal)) sayAsDepth = Math.Max(0, sayAsDepth - 1);
            result.Append(markup);
            last = tag.Index + tag.Length;
        }
        result.Append(Redact(ssml[last..], lang, settings, ssml: true, insideSayAs: sayAsDepth > 0));
        return result.ToString();
    }

    private static string Redact(string text, Lang lang, SecuritySettings settings, bool ssml, bool insideSayAs)
    {
        string Phrase(Spoken s) => ssml && !insideSayAs ? s.SsmlBody : ssml ? Ssml.Escape(s.Text) : s.Text;
        if (settings.SpeakInstanceIds != InstanceIdSpeech.Full)
            text = InstanceIdPattern().Replace(text, m => Phrase(IdSpeech(lang, settings, m.Value)));
        text = PrivateHostnamePattern().Replace(text, _ => Phrase(lang.Say("security.redacted.address")));
        text = PrivateIpv4Pattern().Replace(text, _ => Phrase(lang.Say("security.redacted.address")));
        text = PrivateIpv6Pattern().Replace(text, _ => Phrase(lang.Say("security.redacted.address")));
        text = AccountIdPattern().Replace(text, _ => Phrase(lang.Say("security.redacted.account")));
        return text;
    }

    private static Spoken IdSpeech(Lang lang, SecuritySettings settings, string id) => settings.SpeakInstanceIds switch
    {
        InstanceIdSpeech.Full => Spoken.Characters(id),
        InstanceIdSpeech.Ending when id.Length > 4 => lang.Say("security.instance.ending", ("ending", Spoken.Characters(id[^4..]))),
        _ => lang.Say("security.instance.unnamed"),
    };

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9-])i-(?:[0-9a-f]{17}|[0-9a-f]{8})(?![A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex InstanceIdPattern();

    // EC2's default private host names: ip-10-0-1-11, ip-172-31-5-6.ec2.internal.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9-])ip-(?:10(?:-\d{1,3}){3}|172-(?:1[6-9]|2\d|3[01])(?:-\d{1,3}){2}|192-168(?:-\d{1,3}){2}"
        + @"|100-(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])(?:-\d{1,3}){2})(?:\.[A-Za-z0-9-]+)*",
        RegexOptions.IgnoreCase)]
    private static partial Regex PrivateHostnamePattern();

    // RFC 1918, link-local and shared (CGNAT) ranges, with an optional prefix length.
    [GeneratedRegex(
        @"(?<![\d.])(?:10(?:\.\d{1,3}){3}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|192\.168(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2}"
        + @"|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])(?:\.\d{1,3}){2})(?:/\d{1,2})?(?!\d)")]
    private static partial Regex PrivateIpv4Pattern();

    // Unique-local (fc00::/7) and link-local (fe80::/10) IPv6.
    [GeneratedRegex(@"(?<![0-9a-f:])(?:f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):[0-9a-f:]*[0-9a-f](?:/\d{1,3})?", RegexOptions.IgnoreCase)]
    private static partial Regex PrivateIpv6Pattern();

    // Twelve digits standing alone (also inside ARNs), or written 1111-2222-3333.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:\d{12}|\d{4}-\d{4}-\d{4})(?![0-9A-Za-z])")]
    private static partial Regex AccountIdPattern();
}
