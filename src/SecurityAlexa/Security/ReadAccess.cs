using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>
/// Who hears the names behind a read (READ_ACCESS). <c>accounts</c> (the default): every voice on an allowed
/// account hears everything. <c>speakers</c>: only the voices on ALLOWED_SPEAKERS hear instance names, CVE ids
/// and isolation reasons; any other voice (a visitor, a TV, no recognised voice) gets counts only.
/// </summary>
internal enum ReadAccess
{
    /// <summary>Every voice on an allowed account hears everything.</summary>
    Accounts,

    /// <summary>Only allowed voices hear names; others get counts.</summary>
    Speakers,
}

/// <summary>The one check handlers ask before naming things.</summary>
internal static class ReadAccessCheck
{
    /// <summary>True when this turn's voice may hear instance names, CVE ids and isolation reasons.</summary>
    public static bool MayHearNames(TurnContext turn)
    {
        var settings = turn.Security;
        if (settings.ReadAccess == ReadAccess.Accounts || settings.AllowAnySpeaker) return true;
        return turn.SpeakerHash is { } speaker && settings.AllowedSpeakers.Contains(speaker);
    }
}
