using SecurityAlexa.Alexa;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Accounts;

/// <summary>
/// Chooses the account and region of each turn when several are configured: the Account and Region slots, else the
/// scope a pending read-back named (for its yes), else where the named instances are (asking which when they are in
/// several), else where the conversation last acted, else home. An account or region that is not configured is
/// answered and nothing changes; "in every account" fans read-only questions out and refuses changes.
/// </summary>
internal sealed class AccountTurns(
    AccountSettings settings,
    Func<AccountScope, string?, IReadOnlyList<IRequestHandler>> handlersIn,
    Func<AccountScope, string?, ITargetResolver?> targetsIn) : ITurnScopes
{
    /// <summary>The slot every intent has for the account.</summary>
    public const string AccountSlot = "Account";

    /// <summary>The slot every intent has for the region.</summary>
    public const string RegionSlot = "Region";

    /// <summary>The ACCOUNT value that means every account.</summary>
    public const string EveryId = "every";

    /// <summary>The longest the search for where a name is may take.</summary>
    public static readonly TimeSpan ProbeLimit = TimeSpan.FromMilliseconds(1500);

    private static readonly string[] TargetSlots = ["InstanceName", "TagKey", "TagValue"];
    private static readonly string[] EveryWords =
    [
        "every", "every account", "all", "all accounts", "all of them", "everywhere", "すべて",
        "全て", "全部", "すべてのアカウント", "全アカウント",
    ];

    /// <summary>The settings the choice is made from.</summary>
    public AccountSettings Settings => settings;

    /// <inheritdoc />
    public async Task<IRequestHandler> ChooseAsync(TurnContext turn, IRequestHandler routed)
    {
        if (turn.Intent is null)
        {
            turn.Scope = Describe(turn.Lang, settings.HomeScope);
            return turn.Request is LaunchRequest ? new LaunchWithAccounts(routed, settings) : routed;
        }

        var accountSaid = turn.Slot(AccountSlot);
        var regionSaid = turn.Slot(RegionSlot);
        var every = accountSaid.HasValue && IsEvery(accountSaid);
        MemberAccount? account = null;
        if (accountSaid.HasValue && !every && (account = FindAccount(accountSaid)) is null)
            return Answer(turn, Unknown(turn, "accounts.unknownAccount", accountSaid.Value ?? "", "names", Names(turn.Lang))
                .Labelled("unknown-account"));
        string? region = null;
        if (regionSaid.HasValue && ((region = FindRegion(regionSaid)) is null || !settings.Allows(region)))
            return Answer(turn, Unknown(turn, "accounts.unknownRegion",
                region is null ? regionSaid.Value ?? "" : RegionNames.Name(region, turn.Lang.Locale), "regions", Regions(turn.Lang))
                .Labelled("unknown-region"));

        var candidates = settings.AllScopes()
            .Where(s => account is null || s.Name == account.Name)
            .Where(s => region is null || s.Region == region)
            .ToList();
        var mutates = routed is IntentHandler { Mutates: true };

        if (every)
        {
            if (!mutates) return new EveryAccountHandler(this, candidates, (sub, s) => In(sub, s, handlersIn(s, turn.SpeakerHash)));
            turn.Scope = Describe(turn.Lang, settings.HomeScope);
            var cleared = SlotEditor.CopyWithout(turn.Intent, "NONE", AccountSlot);
            return Answer(turn, Reply.ElicitSlot(turn.Lang.Say("accounts.every.oneAtATime"),
                turn.Lang.Say("accounts.every.reprompt", ("names", Names(turn.Lang))), AccountSlot, cleared).Labelled("every-refused"));
        }

        var chosen = candidates.Count == 1 ? candidates[0] : null;
        // The yes to a read-back acts where the read-back was, unless the slots name another place (then it is refused).
        chosen ??= Confirming(turn) && turn.State.Pending is { Scope: { } pendingKey } pending
            && string.Equals(pending.Intent, turn.IntentName, StringComparison.Ordinal)
                ? candidates.FirstOrDefault(s => s.Key == pendingKey) : null;
        if (chosen is null && !Confirming(turn) && TargetSlots.Any(n => turn.Slot(n).HasValue))
        {
            var found = await WhereAsync(turn, candidates).ConfigureAwait(false);
            if (found.Count == 1) chosen = found[0];
            else if (found.Count > 1) return Answer(turn, AskWhich(turn, found));
        }
        chosen ??= Remembered(turn, candidates) ?? candidates[0];

        turn.Scope = Describe(turn.Lang, chosen);
        ScopeMemory.Slot.Set(turn.State, chosen.Key == settings.HomeScope.Key ? null : new ScopeMemory { Key = chosen.Key });
        var handler = chosen.Key == settings.HomeScope.Key ? routed : In(turn, chosen, handlersIn(chosen, turn.SpeakerHash));
        return new InScope(handler, ScopeLabels.Card(turn.Lang, chosen));
    }

    /// <summary>The words for a scope: its key, its account, and what a read-back says first.</summary>
    public TurnScope Describe(Lang lang, AccountScope scope) =>
        new(scope.Key, scope.Name,
            lang.Say("accounts.readBack", ("account", scope.Name), ("region", RegionNames.Name(scope.Region, lang.Locale))));

    /// <summary>"payments in Ireland", or just "payments" when only one region is configured.</summary>
    public string Place(Lang lang, AccountScope scope) =>
        settings.Regions.Count == 1 ? scope.Name
        : settings.Accounts.Count == 1 ? RegionNames.Name(scope.Region, lang.Locale)
        : lang.Text("accounts.place", ("account", scope.Name), ("region", RegionNames.Name(scope.Region, lang.Locale)));

    private static IRequestHandler In(TurnContext turn, AccountScope scope, IReadOnlyList<IRequestHandler> handlers)
    {
        foreach (var handler in handlers)
            if (handler.CanHandle(turn)) return handler;
        return new UnknownRequestHandler();
    }

    private static bool Confirming(TurnContext turn) =>
        turn.IntentConfirmation != "NONE" || turn.Slot(SecurityPolicy.ConfirmCountSlot).HasValue
        || turn.Slot(SecurityPolicy.SecurityCodeSlot).HasValue;

    private static IRequestHandler Answer(TurnContext turn, Reply reply)
    {
        turn.Audit.Refused(reply.Outcome);
        return new AnswerHandler(reply);
    }

    private Reply Unknown(TurnContext turn, string key, string heard, string listName, string list) =>
        Reply.Ask(turn.Lang.Say(key, ("heard", heard), (listName, list)),
            turn.Lang.Say("accounts.unknown.reprompt", ("names", Names(turn.Lang))));

    private string Names(Lang lang) => lang.List(settings.Accounts.Select(a => a.Name));

    private string Regions(Lang lang) => lang.List(settings.Regions.Select(r => RegionNames.Name(r, lang.Locale)));

    private static bool IsEvery(SlotInput said) =>
        said.ResolvedId == EveryId || EveryWords.Contains((said.Heard ?? "").Trim().ToLowerInvariant(), StringComparer.Ordinal);

    private MemberAccount? FindAccount(SlotInput said)
    {
        foreach (var text in new[] { said.ResolvedId, said.ResolvedName, said.Heard })
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            var name = text.Trim();
            foreach (var suffix in new[] { " account", "アカウント" })
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) name = name[..^suffix.Length].Trim();
            if (name.StartsWith("the ", StringComparison.OrdinalIgnoreCase)) name = name[4..];
            if (settings.Find(name) is { } account) return account;
        }
        return null;
    }

    private static string? FindRegion(SlotInput said) =>
        (said.ResolvedId is { } id && RegionNames.All.Any(r => r.Code == id) ? id : null)
        ?? (said.ResolvedName is { } name ? RegionNames.Find(name) : null)
        ?? (said.Heard is { } heard ? RegionNames.Find(heard) : null);

    private static AccountScope? Remembered(TurnContext turn, IReadOnlyList<AccountScope> candidates) =>
        ScopeMemory.Slot.Get(turn.State) is { } memory ? candidates.FirstOrDefault(s => s.Key == memory.Key) : null;

    // Where the named instances are, among the candidates, asked of every scope at once and bounded by the turn.
    // A scope that fails or is slow counts as not having them: it is never chosen silently.
    private async Task<IReadOnlyList<AccountScope>> WhereAsync(TurnContext turn, IReadOnlyList<AccountScope> candidates)
    {
        var query = new TargetQuery
        {
            Name = turn.Slot("InstanceName").Value,
            TagKey = turn.Slot("TagKey").Value,
            TagValue = turn.Slot("TagValue").Value,
        };
        var left = TurnBudget.Left(turn) / 3;
        var limit = left < ProbeLimit ? left : ProbeLimit;
        if (limit < TimeSpan.Zero) limit = TimeSpan.Zero;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(turn.Cancellation);
        var probes = candidates.Select(scope => Task.Run(async () =>
        {
            try
            {
                var targets = targetsIn(scope, turn.SpeakerHash);
                if (targets is null) return MatchTier.None;
                return await targets.ResolveAsync(query, cts.Token).ConfigureAwait(false) switch
                {
                    TargetResult.Found found when query.Name is { } name => found.Selection.Instances
                        .Select(i => i.Name is null ? MatchTier.Same : SpokenMatch.Compare(name, i.Name))
                        .DefaultIfEmpty(MatchTier.Same).Min(),
                    TargetResult.Found => MatchTier.Same,
                    TargetResult.Ambiguous => MatchTier.Partial,
                    _ => MatchTier.None,
                };
            }
            catch (Exception e)
            {
                turn.Log.Info("accounts.probe-failed", ("requestId", turn.RequestId), ("scope", scope.Key), ("why", e.GetType().Name));
                return MatchTier.None;
            }
        }, CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAny(Task.WhenAll(probes), Task.Delay(limit, turn.Time, turn.Cancellation)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!turn.Cancellation.IsCancellationRequested)
        {
        }
        await cts.CancelAsync().ConfigureAwait(false);
        foreach (var probe in probes.Where(p => !p.IsCompleted)) Observed.Forget(probe);
        var tiers = probes.Select(p => p.IsCompletedSuccessfully ? p.Result : MatchTier.None).ToList();
        // "web-1" that is web-1 in one account outranks eu-web-1 in another, as it does within one account.
        var best = tiers.DefaultIfEmpty(MatchTier.None).Min();
        return best == MatchTier.None ? [] : candidates.Where((_, i) => tiers[i] == best).ToList();
    }

    private Reply AskWhich(TurnContext turn, IReadOnlyList<AccountScope> found)
    {
        var lang = turn.Lang;
        var byAccount = found.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() > 1;
        var name = turn.Slot("InstanceName").Value;
        Spoken what = name ?? Tagged(lang, turn.Slot("TagKey").Value, turn.Slot("TagValue").Value);
        var places = found.Select(s => Place(lang, s)).ToList();
        var choices = byAccount ? found.Select(s => s.Name).Distinct(StringComparer.Ordinal)
            : found.Select(s => RegionNames.Name(s.Region, lang.Locale));
        turn.Log.Info("accounts.ambiguous", ("requestId", turn.RequestId), ("scopes", string.Join(",", found.Select(s => s.Key))));
        return Reply.ElicitSlot(
                lang.Say(byAccount ? "accounts.ambiguous.account" : "accounts.ambiguous.region", ("what", what),
                    ("places", lang.List(places))),
                lang.Say("accounts.ambiguous.reprompt", ("choices", lang.ListOr(choices))),
                byAccount ? AccountSlot : RegionSlot, turn.Intent!)
            .Labelled("ambiguous-scope");
    }

    // Only the parts heard are said: a missing key or value would leave a gap in the sentence.
    private static string Tagged(Lang lang, string? key, string? value) =>
        (string.IsNullOrWhiteSpace(key), string.IsNullOrWhiteSpace(value)) switch
        {
            (false, false) => lang.Text("accounts.tagged", ("key", key!), ("value", value!)),
            (false, true) => lang.Text("accounts.taggedKey", ("key", key!)),
            (true, false) => lang.Text("accounts.taggedValue", ("value", value!)),
            _ => lang.Text("accounts.taggedAny"),
        };
}
