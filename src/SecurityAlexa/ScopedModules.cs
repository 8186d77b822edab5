using System.Collections.Concurrent;
using SecurityAlexa.Accounts;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa;

/// <summary>
/// One set of modules per account, region and speaker, built on first use over the ports <see cref="ScopedServices"/>
/// gives for that scope. The home scope's set is the one the host built as before, so a turn at home costs nothing more.
/// </summary>
internal sealed class ScopedModules(
    ScopedServices scoped,
    SkillConfig config,
    SkillLog log,
    TimeProvider time,
    AccountScope home,
    IReadOnlyList<IRequestHandler> homeHandlers,
    ITargetResolver? homeTargets)
{
    // Sets are small, but speakers are not bounded by configuration: past this many the cache starts again.
    private const int MaxSets = 256;

    private readonly ConcurrentDictionary<string, Lazy<Set>> _sets = new(StringComparer.Ordinal);

    private sealed record Set(IReadOnlyList<IRequestHandler> Handlers, ITargetResolver? Targets);

    /// <summary>The routing chain in a scope.</summary>
    public IReadOnlyList<IRequestHandler> HandlersIn(AccountScope scope, string? speakerHash) =>
        scope.Key == home.Key ? homeHandlers : SetFor(scope, speakerHash).Handlers;

    /// <summary>The target resolver in a scope (the modules' own, so its cache is shared with them).</summary>
    public ITargetResolver? TargetsIn(AccountScope scope, string? speakerHash) =>
        scope.Key == home.Key ? homeTargets : SetFor(scope, speakerHash).Targets;

    private Set SetFor(AccountScope scope, string? speakerHash)
    {
        if (_sets.Count > MaxSets) _sets.Clear();
        var lazy = _sets.GetOrAdd(scope.Key + "|" + speakerHash, _ => new Lazy<Set>(() =>
        {
            var modules = SkillModules.From(scoped(scope, speakerHash), config, log, time, out var targets);
            return new Set(SkillRouting.Handlers(modules), targets);
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
