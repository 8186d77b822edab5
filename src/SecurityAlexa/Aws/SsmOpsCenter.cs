using System.Text;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Aws;

/// <summary>
/// Tickets as OpsItems in Systems Manager OpsCenter. The de-duplication key is kept twice: as OpsCenter's own
/// /aws/dedup string, and as a searchable operational-data value the skill finds its open OpsItem by, so that a
/// second action on the same incident updates the OpsItem instead of being dropped.
/// </summary>
internal sealed class SsmOpsCenter(Func<IAmazonSimpleSystemsManagement> ssm, string region, string? accountId) : ITicketDesk
{
    /// <summary>The OpsItem source the skill's tickets carry (and are listed by).</summary>
    public const string Source = "SecurityAlexa";

    /// <summary>The operational-data key holding the de-duplication key.</summary>
    public const string IncidentKey = "SecurityAlexa:incident";

    /// <inheritdoc />
    public async Task<TicketRef> OpenOrUpdateAsync(TicketDraft draft, CancellationToken cancellationToken)
    {
        var existing = await FindOpenAsync(draft.DedupKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null) return await UpdateAsync(existing, draft, cancellationToken).ConfigureAwait(false);

        var data = Data(draft);
        data["/aws/dedup"] = new OpsItemDataValue { Type = OpsItemDataType.SearchableString, Value = Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("dedupString", draft.DedupKey);
            w.WriteEndObject();
        }) };
        var request = new CreateOpsItemRequest
        {
            Title = Clip(draft.Title, 1024),
            Description = Clip(draft.Description, 2048),
            Source = Source,
            Category = "Security",
            Severity = Math.Clamp(draft.Severity, 1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
            OperationalData = data,
        };
        try
        {
            var created = await AwsCall.RunAsync(AwsOperations.SsmCreateOpsItem, ct => ssm().CreateOpsItemAsync(request, ct), cancellationToken)
                .ConfigureAwait(false);
            return new TicketRef(created.OpsItemId, true);
        }
        catch (AwsCallException e) when (e.InnerException is OpsItemAlreadyExistsException { OpsItemId: { Length: > 0 } id })
        {
            // Opened by another container a moment ago: this action is added to it.
            return await UpdateAsync(id, draft, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OpenTicket>> ListOpenAsync(CancellationToken cancellationToken)
    {
        var request = new DescribeOpsItemsRequest
        {
            OpsItemFilters =
            [
                new OpsItemFilter { Key = OpsItemFilterKey.Source, Operator = OpsItemFilterOperator.Equal, Values = [Source] },
                new OpsItemFilter { Key = OpsItemFilterKey.Status, Operator = OpsItemFilterOperator.Equal, Values = ["Open", "InProgress"] },
            ],
            MaxResults = 50,
        };
        var response = await AwsCall.RunAsync(AwsOperations.SsmDescribeOpsItems, ct => ssm().DescribeOpsItemsAsync(request, ct),
            cancellationToken).ConfigureAwait(false);
        return (response.OpsItemSummaries ?? []).Where(s => s.OpsItemId is not null)
            .Select(s => new OpenTicket(s.OpsItemId, s.Title ?? s.OpsItemId, s.Severity, s.CreatedTime is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null))
            .OrderByDescending(t => t.Created).ToList();
    }

    private async Task<string?> FindOpenAsync(string dedupKey, CancellationToken cancellationToken)
    {
        var request = new DescribeOpsItemsRequest
        {
            OpsItemFilters =
            [
                new OpsItemFilter
                {
                    Key = OpsItemFilterKey.OperationalData, Operator = OpsItemFilterOperator.Equal,
                    Values = [Json(w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("key", IncidentKey);
                        w.WriteString("value", dedupKey);
                        w.WriteEndObject();
                    })],
                },
                new OpsItemFilter { Key = OpsItemFilterKey.Status, Operator = OpsItemFilterOperator.Equal, Values = ["Open", "InProgress"] },
            ],
            MaxResults = 1,
        };
        var response = await AwsCall.RunAsync(AwsOperations.SsmDescribeOpsItems, ct => ssm().DescribeOpsItemsAsync(request, ct),
            cancellationToken).ConfigureAwait(false);
        return (response.OpsItemSummaries ?? []).Select(s => s.OpsItemId).FirstOrDefault(id => !string.IsNullOrEmpty(id));
    }

    private async Task<TicketRef> UpdateAsync(string opsItemId, TicketDraft draft, CancellationToken cancellationToken)
    {
        var request = new UpdateOpsItemRequest
        {
            OpsItemId = opsItemId,
            Description = Clip(draft.Description, 2048),
            OperationalData = Data(draft),
        };
        await AwsCall.RunAsync(AwsOperations.SsmUpdateOpsItem, ct => ssm().UpdateOpsItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return new TicketRef(opsItemId, false);
    }

    // The instances as related resources (when the account is known), the request id, and the draft's own data.
    private Dictionary<string, OpsItemDataValue> Data(TicketDraft draft)
    {
        var data = new Dictionary<string, OpsItemDataValue>(StringComparer.Ordinal)
        {
            [IncidentKey] = new() { Type = OpsItemDataType.SearchableString, Value = draft.DedupKey },
            ["SecurityAlexa:requestId"] = new() { Type = OpsItemDataType.SearchableString, Value = draft.RequestId.Length > 0 ? draft.RequestId : "-" },
        };
        if (draft.InstanceIds.Count > 0)
        {
            data["SecurityAlexa:instances"] = new() { Type = OpsItemDataType.SearchableString, Value = string.Join(",", draft.InstanceIds) };
            if (accountId is { Length: > 0 })
                data["/aws/resources"] = new()
                {
                    Type = OpsItemDataType.SearchableString,
                    Value = Json(w =>
                    {
                        w.WriteStartArray();
                        foreach (var id in draft.InstanceIds)
                        {
                            w.WriteStartObject();
                            w.WriteString("arn", "arn:" + Partition(region) + ":ec2:" + region + ":" + accountId + ":instance/" + id);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }),
                };
        }
        foreach (var (key, value) in draft.Data)
            data["SecurityAlexa:" + key] = new() { Type = OpsItemDataType.String, Value = value.Length > 0 ? Clip(value, 20000) : "-" };
        return data;
    }

    private static string Partition(string region) => region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
