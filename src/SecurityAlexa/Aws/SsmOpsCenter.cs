using System.Globalization;
using System.Security.Cryptography;
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

    // An operational-data key is at most 128 characters, a value at most 20 KB (bytes, not characters), and no value is
    // blank (the SSM service model).
    private const int MaxValueBytes = 20 * 1024;
    private const int MaxKeyLength = 128;

    // OpsCenter lists at most 100 related resources on an OpsItem (user guide, "Working with related resources").
    private const int MaxRelatedResources = 100;

    /// <summary>The operational-data key counting the actions recorded on an OpsItem (searchable, so summaries carry it).</summary>
    public const string ActionsKey = "SecurityAlexa:actions";

    /// <summary>The most actions whose data an OpsItem keeps apart; later ones share the last number, the newest kept.</summary>
    public const int MaxActions = 20;

    /// <inheritdoc />
    public async Task<TicketRef> OpenOrUpdateAsync(TicketDraft draft, CancellationToken cancellationToken)
    {
        var existing = await FindOpenAsync(draft.DedupKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null) return await UpdateAsync(existing, draft, cancellationToken).ConfigureAwait(false);

        var data = Data(draft, null);
        data[ActionsKey] = new OpsItemDataValue { Type = OpsItemDataType.SearchableString, Value = "1" };
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
            Severity = SeverityOf(draft),
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
            // Opened by another container a moment ago: this action is added to it. Its summary may not be listed yet, so what
            // it holds is read once more; without it, the action's data goes under a label of its own and nothing is lowered.
            var listed = await FindOpenAsync(draft.DedupKey, cancellationToken).ConfigureAwait(false);
            return await UpdateAsync(listed?.OpsItemId == id ? listed : new OpsItemSummary { OpsItemId = id }, draft, cancellationToken)
                .ConfigureAwait(false);
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

    private async Task<OpsItemSummary?> FindOpenAsync(string dedupKey, CancellationToken cancellationToken)
    {
        // The OperationalData filter takes the key and value as JSON.
        var byIncident = Filter(OpsItemFilterKey.OperationalData, Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("key", IncidentKey);
            w.WriteString("value", dedupKey);
            w.WriteEndObject();
        }));
        OpsItemSummary? found = null;
        await PagesAsync([byIncident, OpenOnly()], FindPages, page =>
        {
            found = page.FirstOrDefault(s => !string.IsNullOrEmpty(s.OpsItemId));
            return found is not null;
        }, cancellationToken).ConfigureAwait(false);
        return found;
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

    private async Task<TicketRef> UpdateAsync(OpsItemSummary open, TicketDraft draft, CancellationToken cancellationToken)
    {
        var (label, count) = ActionLabel(open, draft);
        var data = Data(draft, label);
        if (count is { } n)
            data[ActionsKey] = new() { Type = OpsItemDataType.SearchableString, Value = n.ToString(CultureInfo.InvariantCulture) };
        var request = new UpdateOpsItemRequest
        {
            OpsItemId = open.OpsItemId,
            Description = Clip(draft.Description, 2048),
            OperationalData = data,
        };
        // A more severe action raises the OpsItem's severity and gives it its title; a milder one (or one whose OpsItem's
        // severity is not known) never lowers either.
        if (int.TryParse(open.Severity, NumberStyles.None, CultureInfo.InvariantCulture, out var current)
            && Math.Clamp(draft.Severity, 1, 4) < current)
        {
            request.Severity = SeverityOf(draft);
            request.Title = Clip(draft.Title, 1024);
        }
        await AwsCall.RunAsync(AwsOperations.SsmUpdateOpsItem, ct => ssm().UpdateOpsItemAsync(request, ct), cancellationToken)
            .ConfigureAwait(false);
        return new TicketRef(open.OpsItemId, false);
    }

    // Each later action's data goes under its number ("SecurityAlexa:2:releaseOutcomes"), so it never overwrites an earlier
    // action's; the count is kept searchable, so the summary already read says it. Past MaxActions the last number holds the
    // newest. Without a count (an OpsItem not yet listed), the request's own label is used and the count is left alone.
    private static (string Label, int? Count) ActionLabel(OpsItemSummary open, TicketDraft draft)
    {
        if (open.OperationalData?.GetValueOrDefault(ActionsKey)?.Value is not { } text
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            if (open.OperationalData is not null) count = 1;
            else return ("r" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(draft.RequestId))).AsSpan(0, 8).ToString(),
                null);
        }
        var next = Math.Clamp(count + 1, 2, MaxActions);
        return (next.ToString(CultureInfo.InvariantCulture), next);
    }

    private static string SeverityOf(TicketDraft draft) => Math.Clamp(draft.Severity, 1, 4).ToString(CultureInfo.InvariantCulture);

    // The instances as related resources (when their account is known), the request id, and the draft's own data; an
    // update's own keys carry its label.
    private Dictionary<string, OpsItemDataValue> Data(TicketDraft draft, string? label)
    {
        var own = label is null ? "SecurityAlexa:" : "SecurityAlexa:" + label + ":";
        var scope = draft.Scope ?? new TicketScope(accountId ?? "", region, AwsService.PartitionOf(region), false);
        var data = new Dictionary<string, OpsItemDataValue>(StringComparer.Ordinal)
        {
            [IncidentKey] = new() { Type = OpsItemDataType.SearchableString, Value = draft.DedupKey },
            [own + "requestId"] = new()
            {
                Type = OpsItemDataType.SearchableString, Value = draft.RequestId.Length > 0 ? draft.RequestId : "-",
            },
            [own + "description"] = new() { Type = OpsItemDataType.String, Value = Or(ClipBytes(draft.Description, MaxValueBytes)) },
        };
        if (draft.Scope is not null)
        {
            data[own + "account"] = new() { Type = OpsItemDataType.SearchableString, Value = Or(scope.AccountId) };
            data[own + "region"] = new() { Type = OpsItemDataType.SearchableString, Value = Or(scope.Region) };
        }
        if (draft.InstanceIds.Count > 0)
        {
            data[own + "instances"] = new()
            {
                Type = OpsItemDataType.SearchableString, Value = ClipBytes(string.Join(",", draft.InstanceIds), MaxValueBytes),
            };
            // The instances' own account, region and partition: a member account's instance is not the home account's.
            if (scope.AccountId.Length > 0)
                data["/aws/resources"] = new()
                {
                    Type = OpsItemDataType.SearchableString,
                    Value = Json(w =>
                    {
                        w.WriteStartArray();
                        // The rest are still named in the instances value.
                        foreach (var instance in draft.InstanceIds.Take(MaxRelatedResources))
                        {
                            w.WriteStartObject();
                            w.WriteString("arn", scope.InstanceArn(instance));
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }),
                };
        }
        foreach (var (key, value) in draft.Data)
            data[Clip(own + key, MaxKeyLength)] = new()
            {
                Type = OpsItemDataType.String, Value = Or(ClipBytes(value, MaxValueBytes)),
            };
        return data;
    }

    // An operational-data value may not be blank.
    private static string Or(string value) => string.IsNullOrWhiteSpace(value) ? "-" : value;

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
