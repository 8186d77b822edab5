using SecurityAlexa.Accounts;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.GuardDuty;

/// <summary>
/// Where something the conversation remembers (a finding read aloud, a malware scan started) belongs, against where the
/// conversation is now: its ids mean nothing in another account or region, so it is never looked up there.
/// </summary>
internal static class RememberedScope
{
    /// <summary>
    /// The phrase (with account, region, hereAccount and hereRegion) when <paramref name="where"/> is another scope than
    /// the turn's; null when it is this one, or when only one account and region are configured.
    /// </summary>
    public static Spoken? Elsewhere(TurnContext turn, string? where, string? account, string phrase)
    {
        if (where is null || turn.Scope is not { } here || string.Equals(where, here.Key, StringComparison.Ordinal)) return null;
        var lang = turn.Lang;
        return lang.Say(phrase, ("account", account ?? AccountOf(where)), ("region", RegionNames.Name(RegionOf(where), lang.Locale)),
            ("hereAccount", here.Account), ("hereRegion", RegionNames.Name(RegionOf(here.Key), lang.Locale)));
    }

    // A scope key is "account/region".
    private static string RegionOf(string key) => key[(key.LastIndexOf('/') + 1)..];

    private static string AccountOf(string key) => key.LastIndexOf('/') is var slash and > 0 ? key[..slash] : key;
}
