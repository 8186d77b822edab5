using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SecurityAlexa.AwsContract;
using SecurityAlexa.State;

namespace SecurityAlexa.Aws;

/// <summary>
/// <see cref="IStateTable"/> over DynamoDB's low-level client (no object persistence: it reflects, and the
/// function is Native AOT). Conditions become ConditionExpressions with placeholder names and values; a
/// failed condition is an answer (false, null), not an error. Reads are strongly consistent.
/// </summary>
/// <remarks>
/// The SDK retries a write whose answer was lost (a 500, a broken connection), and the write may have landed: its retry
/// then fails its own condition. So every write carries a fresh <see cref="WriteTokenAttribute"/>, and a failed
/// condition returns the item as it is (ALL_OLD); when that item carries this write's token, the write is ours and
/// succeeded, and is answered as such instead of as lost to someone else.
/// </remarks>
internal sealed class DynamoStateTable(Func<IAmazonDynamoDB> dynamo, string tableName) : IStateTable
{
    // Stand for "the condition did not hold", so that a call still returns an SDK response to audit.
    private static readonly PutItemResponse PutRefused = new();
    private static readonly UpdateItemResponse UpdateRefused = new();

    /// <summary>Pages a scan reads at most (1 MB each) before it returns a continuation.</summary>
    internal const int MaxScanPages = 10;

    /// <summary>The attribute each write sets to a token of its own (see the remarks); never read back as item data.</summary>
    internal const string WriteTokenAttribute = "writeToken";

    /// <summary>The table (STATE_TABLE).</summary>
    public string TableName { get; } = tableName;

    /// <inheritdoc />
    public async Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var response = await AwsCall.RunAsync(AwsOperations.DynamoGetItem, ct => dynamo().GetItemAsync(new GetItemRequest
        {
            TableName = TableName,
            Key = KeyOf(key),
            ConsistentRead = true,
        }, ct), cancellationToken).ConfigureAwait(false);
        var item = response.Item is { Count: > 0 } attributes ? FromAttributes(attributes) : null;
        return item is not null && item.IsLiveAt(now) ? item : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// BatchGetItem, 100 keys a call, strongly consistent. What DynamoDB leaves unprocessed (throttling, the 16 MB cap) is
    /// asked again, at most <see cref="StateLimits.BatchAttempts"/> calls a batch; what is still left then fails the read,
    /// since an item not read must not pass for an item that is not there.
    /// </remarks>
    public async Task<IReadOnlyDictionary<string, StateItem>> GetManyAsync(IReadOnlyCollection<string> keys, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StateItem>(StringComparer.Ordinal);
        foreach (var batch in keys.Distinct(StringComparer.Ordinal).Chunk(StateLimits.BatchKeys))
        {
            List<Dictionary<string, AttributeValue>> pending = [.. batch.Select(KeyOf)];
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                if (attempt == StateLimits.BatchAttempts)
                    throw new AwsCallException(AwsOperations.DynamoBatchGetItem, AwsFailure.Throttled, "UnprocessedKeys", null,
                        $"{pending.Count} of {batch.Length} items were still unprocessed after {attempt} calls");
                var request = new BatchGetItemRequest
                {
                    RequestItems = new() { [TableName] = new KeysAndAttributes { Keys = pending, ConsistentRead = true } },
                };
                var response = await AwsCall.RunAsync(AwsOperations.DynamoBatchGetItem, ct => dynamo().BatchGetItemAsync(request, ct),
                    cancellationToken).ConfigureAwait(false);
                // The SDK returns null, not empty, for maps and lists with nothing in them.
                foreach (var attributes in response.Responses?.GetValueOrDefault(TableName) ?? [])
                {
                    if (FromAttributes(attributes) is { } item && item.IsLiveAt(now)) found[item.Key] = item;
                }
                pending = response.UnprocessedKeys?.GetValueOrDefault(TableName)?.Keys ?? [];
            }
        }
        return found;
    }

    /// <inheritdoc />
    public async Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expression = new Expression(now);
        var token = NewToken();
        var attributes = ToAttributes(item);
        attributes[WriteTokenAttribute] = new AttributeValue { S = token };
        var request = new PutItemRequest
        {
            TableName = TableName,
            Item = attributes,
            ConditionExpression = expression.Condition(condition),
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        expression.ApplyTo(request);
        var response = await AwsCall.RunAsync(AwsOperations.DynamoPutItem, async ct =>
        {
            try
            {
                return await dynamo().PutItemAsync(request, ct).ConfigureAwait(false);
            }
            catch (ConditionalCheckFailedException e) when (!IsOurs(e.Item, token))
            {
                return PutRefused;
            }
            catch (ConditionalCheckFailedException)
            {
                // An earlier attempt of this same put landed; the SDK's retry found it.
                return new PutItemResponse();
            }
        }, cancellationToken).ConfigureAwait(false);
        return !ReferenceEquals(response, PutRefused);
    }

    /// <inheritdoc />
    public async Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var expression = new Expression(now);
        var token = NewToken();
        var request = new UpdateItemRequest
        {
            TableName = TableName,
            Key = KeyOf(key),
            UpdateExpression = expression.Update(update, token),
            ConditionExpression = condition is null ? null : expression.Condition(condition),
            ReturnValues = ReturnValue.ALL_NEW,
            ReturnValuesOnConditionCheckFailure = condition is null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        expression.ApplyTo(request);
        var response = await AwsCall.RunAsync(AwsOperations.DynamoUpdateItem, async ct =>
        {
            try
            {
                return await dynamo().UpdateItemAsync(request, ct).ConfigureAwait(false);
            }
            catch (ConditionalCheckFailedException e) when (!IsOurs(e.Item, token))
            {
                return UpdateRefused;
            }
            catch (ConditionalCheckFailedException e)
            {
                // An earlier attempt of this same update landed: the item as it is now is what it made.
                return new UpdateItemResponse { Attributes = e.Item };
            }
        }, cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(response, UpdateRefused)) return null;
        return response.Attributes is { Count: > 0 } attributes ? FromAttributes(attributes) : new StateItem(key, update.ApplyTo(null));
    }

    /// <inheritdoc />
    /// <remarks>
    /// At most <see cref="MaxScanPages"/> pages a call, whatever the table holds; a scan cut short by the limit or the page
    /// bound returns a continuation: the key of the last item taken (when the limit stopped it within a page), or
    /// DynamoDB's LastEvaluatedKey.
    /// </remarks>
    public async Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<StateItem>();
        var start = after is null ? null : KeyOf(after);
        for (var page = 0; page < MaxScanPages; page++)
        {
            var expression = new Expression(now);
            var wanted = StateCondition.TextIs(StateItem.KindAttribute, kind).And(StateCondition.Live);
            var request = new ScanRequest
            {
                TableName = TableName,
                ConsistentRead = true,
                FilterExpression = expression.Condition(filter is null ? wanted : wanted.And(filter)),
                ExclusiveStartKey = start,
            };
            expression.ApplyTo(request);
            var response = await AwsCall.RunAsync(AwsOperations.DynamoScan, ct => dynamo().ScanAsync(request, ct), cancellationToken)
                .ConfigureAwait(false);
            var items = (response.Items ?? []).Select(FromAttributes).OfType<StateItem>().ToList();
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            foreach (var item in items)
            {
                // Full with items still to read on this page or beyond it: go on after the last one taken.
                if (found.Count == limit) return new StateScan(found, found[^1].Key);
                found.Add(item);
            }
            if (start is null) return new StateScan(found, null);
            if (found.Count == limit) return new StateScan(found, KeyText(start));
        }
        // The page bound: more of the table is unread, and the caller hears so.
        return new StateScan(found, KeyText(start));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(AwsOperations.DynamoDeleteItem,
            ct => dynamo().DeleteItemAsync(new DeleteItemRequest { TableName = TableName, Key = KeyOf(key) }, ct), cancellationToken);

    private static Dictionary<string, AttributeValue> KeyOf(string key) =>
        new(StringComparer.Ordinal) { [StateItem.KeyAttribute] = new AttributeValue { S = key } };

    private static string NewToken() => Guid.NewGuid().ToString("N");

    private static bool IsOurs(Dictionary<string, AttributeValue>? item, string token) =>
        item is not null && item.TryGetValue(WriteTokenAttribute, out var written) && written.S == token;

    // A continuation is the pk of where a scan stopped; a key without one (not this table's shape) cannot be gone on from.
    private static string? KeyText(Dictionary<string, AttributeValue>? key) =>
        key is not null && key.TryGetValue(StateItem.KeyAttribute, out var pk) ? pk.S : null;

    private static Dictionary<string, AttributeValue> ToAttributes(StateItem item)
    {
        var result = KeyOf(item.Key);
        foreach (var (name, value) in item.Attributes) result[name] = ToAttribute(value);
        return result;
    }

    private static AttributeValue ToAttribute(StateValue value) =>
        value.Number is { } n
            ? new AttributeValue { N = n.ToString(CultureInfo.InvariantCulture) }
            : new AttributeValue { S = value.Text ?? "" };

    private static StateItem? FromAttributes(Dictionary<string, AttributeValue> attributes)
    {
        if (!attributes.TryGetValue(StateItem.KeyAttribute, out var key) || key.S is null) return null;
        var values = new Dictionary<string, StateValue>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (name is StateItem.KeyAttribute or WriteTokenAttribute) continue;
            if (value.N is { } n && long.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                values[name] = StateValue.Of(number);
            else if (value.S is { } s) values[name] = StateValue.Of(s);
            // Other types are not written by the skill; an item someone edited by hand keeps only what it can read.
        }
        return new StateItem(key.S, values);
    }

    /// <summary>Builds expressions with #n/:v placeholders, so attribute names never clash with reserved words.</summary>
    private sealed class Expression(DateTimeOffset now)
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AttributeValue> _values = new(StringComparer.Ordinal);

        public string Condition(StateCondition condition) => condition switch
        {
            StateCondition.AbsentItem
                => $"attribute_not_exists({Name(StateItem.KeyAttribute)}) OR {Name(StateItem.ExpiryAttribute)} <= {Now()}",
            StateCondition.LiveItem
                => $"attribute_exists({Name(StateItem.KeyAttribute)}) AND (attribute_not_exists({Name(StateItem.ExpiryAttribute)}) "
                    + $"OR {Name(StateItem.ExpiryAttribute)} > {Now()})",
            StateCondition.Compare c => $"{Name(c.Attribute)} {c.Operator} {Value(StateValue.Of(c.Value))}",
            StateCondition.AttributeAbsent a => $"attribute_not_exists({Name(a.Attribute)})",
            StateCondition.TextEquals t => $"{Name(t.Attribute)} = {Value(StateValue.Of(t.Text))}",
            StateCondition.Both b => $"({Condition(b.Left)}) AND ({Condition(b.Right)})",
            StateCondition.Either e => $"({Condition(e.Left)}) OR ({Condition(e.Right)})",
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "unknown condition"),
        };

        public string Update(StateUpdate update, string token)
        {
            var text = new StringBuilder();
            // Placeholders are numbered in the order the clauses read: the token's after the caller's sets.
            var sets = update.Sets.Select(s => Name(s.Key) + " = " + Value(s.Value)).ToList();
            sets.Add(Name(WriteTokenAttribute) + " = " + Value(StateValue.Of(token)));
            text.Append("SET ").AppendJoin(", ", sets);
            // The SET clause is never empty (the token), so each later clause follows a space.
            if (update.Adds.Count > 0) text.Append(" ADD ")
                .AppendJoin(", ", update.Adds.Select(a => Name(a.Key) + " " + Value(StateValue.Of(a.Value))));
            if (update.Removes.Count > 0) text.Append(" REMOVE ")
                .AppendJoin(", ", update.Removes.Select(Name));
            return text.ToString();
        }

        public void ApplyTo(PutItemRequest request)
        {
            request.ExpressionAttributeNames = _names;
            if (_values.Count > 0) request.ExpressionAttributeValues = _values;
        }

        public void ApplyTo(ScanRequest request)
        {
            request.ExpressionAttributeNames = _names;
            if (_values.Count > 0) request.ExpressionAttributeValues = _values;
        }

        public void ApplyTo(UpdateItemRequest request)
        {
            request.ExpressionAttributeNames = _names;
            if (_values.Count > 0) request.ExpressionAttributeValues = _values;
        }

        private string Now() => Value(StateValue.Of(now));

        private string Name(string attribute)
        {
            foreach (var (placeholder, name) in _names)
            {
                if (name == attribute) return placeholder;
            }
            var next = "#n" + _names.Count.ToString(CultureInfo.InvariantCulture);
            _names[next] = attribute;
            return next;
        }

        private string Value(StateValue value)
        {
            var next = ":v" + _values.Count.ToString(CultureInfo.InvariantCulture);
            _values[next] = ToAttribute(value);
            return next;
        }
    }
}
