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

    // DescribeOpsItems returns at most 50 a page, and a filtered page may hold fewer (even none) with more to come, so the
    // lookups follow NextToken, a bounded number of pages.
    private const int PageSize = 50;
    private const int FindPages = 3;
    private const int ListPages = 4;

    // An operational-data value is at most 20 KB (bytes, not characters).
    private const int MaxValueBytes = 20 * 1024;

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
            var created = await AwsCall.RunAsync(AwsOperations.SsmCreateOpsItem, ct => ssm().CreateOpsItemAsync(request, ct),
                    cancellationToken)
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
    public async Task<OpenTickets> ListOpenAsync(CancellationToken cancellationToken)
    {
        var found = new List<OpsItemSummary>();
        var more = await PagesAsync([Filter(OpsItemFilterKey.Source, Source), OpenOnly()], ListPages, page =>
        {
            found.AddRange(page);
            return false;
        }, cancellationToken).ConfigureAwait(false);
        var open = found.Where(s => !string.IsNullOrEmpty(s.OpsItemId)).DistinctBy(s => s.OpsItemId)
            .Select(s => new OpenTicket(s.OpsItemId, s.Title ?? s.OpsItemId, s.Severity,
                s.CreatedTime is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null))
            .OrderByDescending(t => t.Created).ToList();
        return new OpenTickets(open, more);
    }

    private async Task<string?> FindOpenAsync(string dedupKey, CancellationToken cancellationToken)
    {
        // The OperationalData filter takes the key and value as JSON.
        var byIncident = Filter(OpsItemFilterKey.OperationalData, Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("key", IncidentKey);
            w.WriteString("value", dedupKey);
            w.WriteEndObject();
        }));
        string? id = null;
        await PagesAsync([byIncident, OpenOnly()], FindPages, page =>
        {
            id = page.Select(s => s.OpsItemId).FirstOrDefault(i => !string.IsNullOrEmpty(i));
            return id is not null;
        }, cancellationToken).ConfigureAwait(false);
        return id;
    }

    // Reads pages until take says stop, there are no more, or the bound; true when more were left unread.
    private async Task<bool> PagesAsync(List<OpsItemFilter> filters, int maxPages, Func<List<OpsItemSummary>, bool> take,
        CancellationToken cancellationToken)
    {
        string? token = null;
        for (var page = 0; page < maxPages; page++)
        {
            var request = new DescribeOpsItemsRequest { OpsItemFilters = filters, MaxResults = PageSize, NextToken = token };
            var response = await AwsCall.RunAsync(AwsOperations.SsmDescribeOpsItems, ct => ssm().DescribeOpsItemsAsync(request, ct),
                cancellationToken).ConfigureAwait(false);
            if (take(response.OpsItemSummaries ?? [])) return false;
            token = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            if (token is null) return false;
        }
        return true;
    }

    private static OpsItemFilter Filter(OpsItemFilterKey key, string value) =>
        new() { Key = key, Operator = OpsItemFilterOperator.Equal, Values = [value] };

    // Open or in progress: the statuses of an incident still being worked on.
    private static OpsItemFilter OpenOnly() =>
        new() { Key = OpsItemFilterKey.Status, Operator = OpsItemFilterOperator.Equal, Values = ["Open", "InProgress"] };

    private async Task<TicketRef> UpdateAsync(string opsItemId, TicketDraft draft, CancellationToken cancellationToken)
    {
        var request = new UpdateOpsItemRequest
        {
            OpsItemId = opsItemId,
            Description = Clip(draft.Description, 2048),
            OperationalData = Data(draft),
        };
        await AwsCall.RunAsync(AwsOperations.SsmUpdateOpsItem, ct => ssm().UpdateOpsItemAsync(request, ct), cancellationToken)
            .ConfigureAwait(false);
        return new TicketRef(opsItemId, false);
    }

    // The instances as related resources (when the account is known), the request id, and the draft's own data.
    private Dictionary<string, OpsItemDataValue> Data(TicketDraft draft)
    {
        var data = new Dictionary<string, OpsItemDataValue>(StringComparer.Ordinal)
        {
            [IncidentKey] = new() { Type = OpsItemDataType.SearchableString, Value = draft.DedupKey },
            ["SecurityAlexa:requestId"] = new()
            {
                Type = OpsItemDataType.SearchableString, Value = draft.RequestId.Length > 0 ? draft.RequestId : "-",
            },
        };
        if (draft.InstanceIds.Count > 0)
        {
            data["SecurityAlexa:instances"] = new()
            {
                Type = OpsItemDataType.SearchableString, Value = string.Join(",", draft.InstanceIds),
            };
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
                            w.WriteString("arn",
                                "arn:" + AwsService.PartitionOf(region) + ":ec2:" + region + ":" + accountId + ":instance/" + id);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }),
                };
        }
        foreach (var (key, value) in draft.Data)
            data["SecurityAlexa:" + key] = new()
            {
                Type = OpsItemDataType.String, Value = value.Length > 0 ? ClipBytes(value, MaxValueBytes) : "-",
            };
        return data;
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    // Cut at a character boundary so that the UTF-8 form, with the ellipsis, fits in max bytes.
    private static string ClipBytes(string text, int max)
    {
        if (Encoding.UTF8.GetByteCount(text) <= max) return text;
        var budget = max - Encoding.UTF8.GetByteCount("…");
        var length = 0;
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget) break;
            used += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }
        return text[..length] + "…";
    }
}
