using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SecurityAlexa.Skill;
using SecurityAlexa.State;

namespace SecurityAlexa.Isolation;

/// <summary>
/// At most a few Logs Insights queries a minute per Alexa account (LOGS_QUERY_MAX_PER_MINUTE, default 3).
/// A query is billed by the data it scans, and asking "how much traffic was blocked" again and again would
/// otherwise start one each time. Counted with one atomic ADD per query on an item per account and clock
/// minute in the state table, so every container shares the count; without a table (the local runner with
/// no STATE_TABLE) the count is kept in this container.
/// </summary>
internal sealed class FlowLogQueryLimit(IStateTable? table, int perMinute)
{
    private const string Count = "queries";

    private readonly IStateTable _table = table ?? new InMemoryStateTable();

    /// <summary>The queries allowed per account and minute.</summary>
    public int PerMinute { get; } = Math.Max(1, perMinute);

    /// <summary>Reads the limit (LOGS_QUERY_MAX_PER_MINUTE, 1 to 60).</summary>
    public static FlowLogQueryLimit From(SkillConfig config, IStateTable? table) =>
        new(table, Math.Clamp(config.Int("LOGS_QUERY_MAX_PER_MINUTE", 3), 1, 60));

    /// <summary>Counts one query for the turn's account; false when that goes over the limit (nothing may be started).</summary>
    public async Task<bool> TryTakeAsync(TurnContext turn)
    {
        var now = turn.Now;
        var minute = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day, now.UtcDateTime.Hour,
            now.UtcDateTime.Minute, 0, TimeSpan.Zero);
        var item = await _table.UpdateAsync(Key(turn.UserHash ?? "anonymous", minute),
            new StateUpdate().Add(Count, 1).Set(StateItem.KindAttribute, StateValue.Of("logs-queries"))
                .Set(StateItem.ExpiryAttribute, StateValue.Of(minute.AddMinutes(2))),
            null, now, turn.Cancellation).ConfigureAwait(false);
        return (item?.Number(Count) ?? 1) <= PerMinute;
    }

    /// <summary>The item of one account's queries in one clock minute: logs#{sha256(account)/16}#{yyyyMMddHHmm}.</summary>
    public static string Key(string account, DateTimeOffset minute) =>
        "logs#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(account)).AsSpan(0, 16)) + "#"
        + minute.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}
