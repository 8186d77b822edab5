using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Accounts;

/// <summary>
/// The launch, which also teaches Alexa the configured account names (the ACCOUNT slot type) in the same
/// Dialog.UpdateDynamicEntities directive that teaches the fleet's tags.
/// </summary>
internal sealed class LaunchWithAccounts(IRequestHandler launch, AccountSettings settings) : IRequestHandler
{
    /// <inheritdoc />
    public bool CanHandle(TurnContext turn) => launch.CanHandle(turn);

    /// <inheritdoc />
    public async Task<Reply> HandleAsync(TurnContext turn)
    {
        var reply = await launch.HandleAsync(turn).ConfigureAwait(false);
        var accounts = Type(settings);
        // The tags' directive may be cached and shared by other launches: a new one is built rather than changed.
        var existing = reply.Directives.OfType<DialogUpdateDynamicEntities>().FirstOrDefault();
        if (existing is not null) reply.Directives.Remove(existing);
        reply.Directives.Add(new DialogUpdateDynamicEntities
        {
            UpdateBehavior = "REPLACE",
            Types = [.. existing?.Types ?? [], accounts],
        });
        return reply;
    }

    /// <summary>The ACCOUNT type: every configured name, with "the payments account" as a synonym.</summary>
    public static DynamicSlotType Type(AccountSettings settings) => new()
    {
        Name = "ACCOUNT",
        Values = settings.Accounts.Select(a => new DynamicSlotValue
        {
            Id = a.Name,
            Name = new DynamicSlotName { Value = a.Name, Synonyms = [a.Name + " account", a.Name + "アカウント"] },
        }).ToList(),
    };
}
