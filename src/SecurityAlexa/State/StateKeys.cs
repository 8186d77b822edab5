using System.Security.Cryptography;
using System.Text;

namespace SecurityAlexa.State;

/// <summary>
/// The key of every item kind in the state table, in one place so that docs/state.md and the code agree.
/// Outside ids (request ids, event ids, speaker hashes) are hashed or validated before they become keys.
/// </summary>
internal static class StateKeys
{
    /// <summary>A claim that an id in a scope ("requests", "events") was acted on: claim#{scope}#{sha256/16}.</summary>
    public static string Claim(string scope, string id) => "claim#" + scope + "#" + Digest(id);

    /// <summary>
    /// A tag event whose work is finished: tagevent#{CloudTrail eventID}; null unless the id is a UUID, as CloudTrail's are.
    /// </summary>
    public static string? TagEvent(string? eventId) =>
        Guid.TryParseExact(eventId, "D", out _) ? "tagevent#" + eventId!.ToLowerInvariant() : null;

    /// <summary>One speaker's wrong security codes and lockout: code#speaker#{who}.</summary>
    public static string CodeAttempts(string who) => "code#speaker#" + Digest(who);

    /// <summary>Wrong security codes from anyone in one clock hour: code#all#{yyyyMMddHH}.</summary>
    public static string CodeAttemptsTotal(DateTimeOffset hour) => "code#all#"
        + hour.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One instance's isolation record: isolation#{instanceId} (the id is validated before it gets here).</summary>
    public static string Isolation(string instanceId) => "isolation#" + instanceId;

    /// <summary>The prefix of <see cref="QueuedIsolation(string)"/>.</summary>
    public const string QueuedIsolationPrefix = "queued#";

    /// <summary>An instance whose isolation continues on the work queue: queued#{instanceId} (validated before it gets here).</summary>
    public static string QueuedIsolation(string instanceId) => QueuedIsolationPrefix + instanceId;

    /// <summary>Where the isolation sweeper's last bounded scan stopped, for its next run: sweep#isolation.</summary>
    public const string SweepCursor = "sweep#isolation";

    /// <summary>
    /// The same in another account or region: queued#{accountId}#{region}#{instanceId}, so that two accounts' items never share a
    /// key (all three are validated before they get here).
    /// </summary>
    public static string QueuedIsolation(string instanceId, string accountId, string region) =>
        QueuedIsolationPrefix + accountId + "#" + region + "#" + instanceId;

    /// <summary>The security groups the skill created in one VPC: groups#{vpcId}.</summary>
    public static string IsolationGroups(string vpcId) => "groups#" + vpcId;

    /// <summary>
    /// One patch command's reference: patch#{run reference}#{part}. The run reference is already a hash (of a request id),
    /// so it goes in as it is; the part is the command's batch number, from 1.
    /// </summary>
    public static string PatchCommand(string reference, int part) =>
        "patch#" + reference + "#" + part.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The skill's latest patch run, for "how is the patching going?" without a session: patch#latest.</summary>
    public const string PatchLatest = "patch#latest";

    // Hashing keeps keys short and of one shape whatever an outside id contains.
    private static string Digest(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 16));
}
