using System.Net;
using System.Text.Json;
using SecurityAlexa.AwsContract;
using SecurityAlexa.State;

namespace SecurityAlexa.Isolation.Containment;

/// <summary>
/// One instance's containment record in the state table (containment#&lt;instanceId&gt;), written with a version so
/// that two requests racing on one instance cannot overwrite each other's record.
/// </summary>
internal sealed class ContainmentLedger
{
    private const string RecordAttribute = "record";
    private const string Kind = "containment";

    private readonly IStateTable _table;
    private readonly string _key;
    private readonly TimeProvider _clock;
    private long _version;
    private ContainmentRecord _record;

    private ContainmentLedger(IStateTable table, string key, TimeProvider clock, long version, ContainmentRecord record)
    {
        _table = table;
        _key = key;
        _clock = clock;
        _version = version;
        _record = record;
    }

    /// <summary>The state table key of an instance's record.</summary>
    public static string KeyOf(string instanceId) => "containment#" + instanceId;

    /// <summary>The recorded steps.</summary>
    public IReadOnlyList<ContainmentEntry> Steps => _record.Steps;

    /// <summary>The recorded step for the action, if any.</summary>
    public ContainmentEntry? Find(ContainmentAction action) => _record.Steps.FirstOrDefault(s => s.Action == action);

    /// <summary>Reads the record (an unreadable one is an error: guessing could undo the wrong thing).</summary>
    public static async Task<ContainmentLedger> LoadAsync(IStateTable table, string instanceId, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var key = KeyOf(instanceId);
        var item = await table.GetAsync(key, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var record = new ContainmentRecord { InstanceId = instanceId };
        if (item?.Text(RecordAttribute) is { } json)
        {
            try
            {
                record = JsonSerializer.Deserialize(json, ContainmentJsonContext.Default.ContainmentRecord) ?? record;
            }
            catch (JsonException e)
            {
                throw new AwsCallException(AwsOperations.DynamoGetItem, AwsFailure.Other, "UnreadableRecord", null,
                    "The containment record could not be read: " + e.Message, e);
            }
        }
        return new ContainmentLedger(table, key, clock, item?.Version ?? 0, record);
    }

    /// <summary>Records the step (replacing the action's earlier entry); throws when the write is refused.</summary>
    public async Task WriteAsync(ContainmentEntry entry, CancellationToken cancellationToken)
    {
        var steps = _record.Steps.Where(s => s.Action != entry.Action).Append(entry).OrderBy(s => s.Action).ToList();
        await SaveAsync(_record with { Steps = steps }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets an undone step; the item goes when nothing is left.</summary>
    public async Task RemoveAsync(ContainmentAction action, CancellationToken cancellationToken)
    {
        var steps = _record.Steps.Where(s => s.Action != action).ToList();
        if (steps.Count > 0)
        {
            await SaveAsync(_record with { Steps = steps }, cancellationToken).ConfigureAwait(false);
            return;
        }
        await _table.DeleteAsync(_key, cancellationToken).ConfigureAwait(false);
        _record = _record with { Steps = [] };
        _version = 0;
    }

    private async Task SaveAsync(ContainmentRecord record, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, StateValue>(StringComparer.Ordinal)
        {
            [StateItem.KindAttribute] = StateValue.Of(Kind),
            [StateItem.VersionAttribute] = StateValue.Of(_version + 1),
            [RecordAttribute] = StateValue.Of(JsonSerializer.Serialize(record, ContainmentJsonContext.Default.ContainmentRecord)),
        };
        var condition = _version == 0 ? StateCondition.Absent : StateCondition.VersionIs(_version);
        if (!await _table.PutAsync(new StateItem(_key, attributes), condition, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            throw new AwsCallException(AwsOperations.DynamoPutItem, AwsFailure.Other, "ConditionalCheckFailedException",
                HttpStatusCode.BadRequest, "Another request changed the containment record at the same time.");
        _version++;
        _record = record;
    }
}
