using System.Collections.Concurrent;
using SecurityAlexa.Accounts;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa;

/// <summary>
/// One set of modules per account, region and speaker, built on first use over the ports <see cref="ScopedServices"/>
/// gives for that scope. The home scope's set is the one the host built as before, so a turn at home costs nothing more.
/// Queued units, the sweeper and tag events (no speaker) use the sets built for no speaker.
/// </summary>
internal sealed class ScopedModules(
    ScopedServices scoped,
    SkillConfig config,
    SkillLog log,
    TimeProvider time,
    AccountScope home,
    IReadOnlyList<IRequestHandler> homeHandlers,
    ITargetResolver? homeTargets,
    IReadOnlyList<SkillModule>? homeModules = null,
    AccountSettings? settings = null)
{
    // Sets are small, but speakers are not bounded by configuration: past this many the cache starts again.
    private const int MaxSets = 256;

    private readonly ConcurrentDictionary<string, Lazy<Set>> _sets = new(StringComparer.Ordinal);

    private sealed record Set(IReadOnlyList<SkillModule> Modules, IReadOnlyList<IRequestHandler> Handlers, ITargetResolver? Targets);

    /// <summary>The routing chain in a scope.</summary>
    public IReadOnlyList<IRequestHandler> HandlersIn(AccountScope scope, string? speakerHash) =>
        scope.Key == home.Key ? homeHandlers : SetFor(scope, speakerHash).Handlers;

    /// <summary>The target resolver in a scope (the modules' own, so its cache is shared with them).</summary>
    public ITargetResolver? TargetsIn(AccountScope scope, string? speakerHash) =>
        scope.Key == home.Key ? homeTargets : SetFor(scope, speakerHash).Targets;

    /// <summary>
    /// The work handlers of the scope a queued unit names (<see cref="WorkItem.Scope"/>), or null when that scope is not
    /// one of the enrolled accounts in an allowed region; throws when its ports cannot be built now.
    /// </summary>
    public IReadOnlyList<IWorkHandler>? WorkHandlersIn(string scopeKey)
    {
        if (Resolve(scopeKey) is not { } scope) return null;
        var modules = scope.Key == home.Key ? homeModules : SetFor(scope, null).Modules;
        return modules is null ? null : [.. modules.SelectMany(m => m.WorkHandlers)];
    }

    /// <summary>
    /// The isolation module of an enrolled account in an allowed region, or null; throws when its ports cannot be built now.
    /// </summary>
    public IsolationModule? IsolationIn(string accountId, string region)
    {
        if (Resolve(accountId + "/" + region) is not { } scope) return null;
        var modules = scope.Key == home.Key ? homeModules : SetFor(scope, null).Modules;
        return modules?.OfType<IsolationModule>().FirstOrDefault();
    }

    // A key (accountId/region) as a scope, only for an enrolled account in an allowed region.
    private AccountScope? Resolve(string key)
    {
        if (settings is null) return null;
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || slash == key.Length - 1) return null;
        var (account, region) = (key[..slash], key[(slash + 1)..]);
        if (!settings.Allows(region)) return null;
        var found = settings.FindById(account) ?? (account == settings.Home.Name ? settings.Home : null);
        return found is null ? null : settings.Scope(found, region);
    }

    private Set SetFor(AccountScope scope, string? speakerHash)
    {
        if (_sets.Count > MaxSets) _sets.Clear();
        var lazy = _sets.GetOrAdd(scope.Key + "|" + speakerHash, _ => new Lazy<Set>(() =>
        {
            var modules = SkillModules.From(scoped(scope, speakerHash), config, log, time, out var targets, scope, IsolationIn);
            return new Set(modules, SkillRouting.Handlers(modules), targets);
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A scope whose ports could not be built (its role refused) is tried afresh next time.
            _sets.TryRemove(new KeyValuePair<string, Lazy<Set>>(scope.Key + "|" + speakerHash, lazy));
            throw;
        }
    }
}
