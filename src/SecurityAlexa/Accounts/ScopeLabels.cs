using SecurityAlexa.Notifications;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Accounts;

/// <summary>
/// Where a change was made, in writing: the chat label every post of a scope starts with, and the line every card of a
/// turn in that scope starts with. Only used when more than one account or region is configured.
/// </summary>
internal static class ScopeLabels
{
    /// <summary>
    /// "[payments 444455556666, eu-west-1]": the account by name and id, and the region's code, the same in every locale.
    /// </summary>
    public static string Chat(AccountScope scope) => Chat(scope.Name, scope.AccountId, scope.Region);

    /// <summary>
    /// The same for an account that may not be enrolled (no name) and a region that may not be allowed, as an event names them.
    /// </summary>
    public static string Chat(string? name, string? accountId, string? region) =>
        "[" + string.Join(" ", new[] { name, accountId }.Where(p => !string.IsNullOrEmpty(p))) + ", "
        + (region is { Length: > 0 } ? region : "?") + "]";

    /// <summary>The chat channel whose posts start with the scope's label; null without a channel.</summary>
    public static IChatNotifier? Chat(IChatNotifier? chat, AccountScope scope) => chat is null ? null : new LabelledChat(chat, Chat(scope));

    /// <summary>"Account: payments (444455556666). Region: Ireland (eu-west-1).", in the turn's language.</summary>
    public static string Card(Lang lang, AccountScope scope) =>
        lang.Text(scope.AccountId.Length > 0 ? "accounts.card" : "accounts.card.noId", ("account", scope.Name), ("id", scope.AccountId),
            ("region", RegionNames.Name(scope.Region, lang.Locale)), ("code", scope.Region));
}
