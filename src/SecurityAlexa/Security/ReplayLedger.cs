using SecurityAlexa.State;

namespace SecurityAlexa.Security;

/// <summary>
/// Remembers request (or event) ids durably, so that one id is acted on once across every container: a
/// conditional put of claim#{scope}#{hash} in the state table that only succeeds when there is no live
/// claim. The claim expires a little after the id could still be accepted (see SecuritySettings.ClaimFor).
/// </summary>
internal sealed class ReplayLedger(IStateTable table, SecuritySettings settings)
{
    /// <summary>The state table key that records an id in a scope ("requests", "events").</summary>
    public static string KeyFor(string scope, string id) => StateKeys.Claim(scope, id);

    /// <summary>True the first time an id is claimed; false when any container holds a live claim on it.</summary>
    public Task<bool> TryClaimAsync(string scope, string id, string? what, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, StateValue>(StringComparer.Ordinal)
        {
            [StateItem.KindAttribute] = StateValue.Of("claim"),
            ["scope"] = StateValue.Of(scope),
            ["seen"] = StateValue.Of(now),
            [StateItem.ExpiryAttribute] = StateValue.Of(now + settings.ClaimFor),
        };
        if (what is not null) attributes["what"] = StateValue.Of(what);
        return table.PutAsync(new StateItem(KeyFor(scope, id), attributes), StateCondition.Absent, now, cancellationToken);
    }

    /// <summary>Gives a claim back, so that a later delivery of the same id is acted on (the first could not finish).</summary>
    public Task ReleaseAsync(string scope, string id, CancellationToken cancellationToken) =>
        table.DeleteAsync(KeyFor(scope, id), cancellationToken);
}
