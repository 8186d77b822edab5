using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Moq;

namespace SecurityAlexa.Tests.State;

/// <summary>
/// DynamoDB at the SDK edge: a strict Moq of IAmazonDynamoDB whose GetItem, PutItem, UpdateItem, Scan (in pages of ScanPageSize) and
/// DeleteItem keep items in memory and evaluate the request's own ConditionExpression and UpdateExpression
/// (the subset the skill writes: attribute_exists, attribute_not_exists, = &lt;&gt; &lt; &lt;= &gt; &gt;=, AND, OR, NOT,
/// parentheses; SET, ADD, REMOVE), with #name and :value placeholders, atomically under one lock. A failed
/// condition throws ConditionalCheckFailedException as DynamoDB does. Like DynamoDB, an expired item stays
/// until someone deletes it: TTL is the reader's business. Unused or missing placeholders, raw attribute
/// names and a wrong table are ValidationExceptions, so a malformed expression cannot pass unnoticed.
/// One instance shared by several harnesses is the table every container sees.
/// </summary>
public sealed partial class FakeDynamoDb
{
    private readonly Dictionary<string, Dictionary<string, AttributeValue>> _items = new(StringComparer.Ordinal);

    /// <summary>Items a Scan page evaluates (DynamoDB's is 1 MB); a page cut short answers with a LastEvaluatedKey.</summary>
    public int ScanPageSize { get; set; } = int.MaxValue - 1;

    /// <summary>Every Scan request, in order.</summary>
    public List<ScanRequest> ScanRequests { get; } = [];

    private readonly List<(string Operation, string KeyPrefix, Exception Fault)> _faults = [];
    private readonly Dictionary<string, Barrier> _barriers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _requestCounter;

    public FakeDynamoDb(string tableName = DefaultTable)
    {
        TableName = tableName;
        Mock.Setup(d => d.GetItemAsync(It.IsAny<GetItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((GetItemRequest r, CancellationToken ct) => RunAsync("GetItem", r.TableName, r.Key, () => Get(r), ct));
        Mock.Setup(d => d.BatchGetItemAsync(It.IsAny<BatchGetItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((BatchGetItemRequest r, CancellationToken ct) => RunAsync("BatchGetItem", r.RequestItems.Keys.Single(),
                r.RequestItems.Values.Single().Keys.FirstOrDefault(), () => BatchGet(r), ct));
        Mock.Setup(d => d.PutItemAsync(It.IsAny<PutItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((PutItemRequest r, CancellationToken ct) => RunAsync("PutItem", r.TableName, r.Item, () => Put(r), ct));
        Mock.Setup(d => d.UpdateItemAsync(It.IsAny<UpdateItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((UpdateItemRequest r, CancellationToken ct) => RunAsync("UpdateItem", r.TableName, r.Key, () => Update(r), ct));
        Mock.Setup(d => d.DeleteItemAsync(It.IsAny<DeleteItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((DeleteItemRequest r, CancellationToken ct) => RunAsync("DeleteItem", r.TableName, r.Key, () => Delete(r), ct));
        Mock.Setup(d => d.ScanAsync(It.IsAny<ScanRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ScanRequest r, CancellationToken ct) => RunAsync("Scan", r.TableName, null, () => Scan(r), ct));
    }

    public const string DefaultTable = "securityalexa-state";

    public string TableName { get; }

    public Mock<IAmazonDynamoDB> Mock { get; } = new(MockBehavior.Strict);

    public IAmazonDynamoDB Client => Mock.Object;

    /// <summary>The keys of the items stored now (expired ones too, until deleted).</summary>
    public IReadOnlyList<string> Keys
    {
        get { lock (_gate) return [.. _items.Keys.Order(StringComparer.Ordinal)]; }
    }

    /// <summary>An item's attributes as strings (numbers in their decimal form), or null.</summary>
    public IReadOnlyDictionary<string, string>? Item(string key)
    {
        lock (_gate)
        {
            return _items.TryGetValue(key, out var item)
                ? item.ToDictionary(kv => kv.Key, kv => kv.Value.N ?? kv.Value.S ?? "", StringComparer.Ordinal)
                : null;
        }
    }

    /// <summary>The requests of one operation ("PutItem", ...), in the order they arrived.</summary>
    public IReadOnlyList<T> Requests<T>() where T : AmazonWebServiceRequest =>
        Mock.Invocations.Select(i => i.Arguments[0]).OfType<T>().ToList();

    /// <summary>The next call of the operation whose key starts with <paramref name="keyPrefix"/> throws the fault.</summary>
    public void FailNext(string operation, Exception fault, string keyPrefix = "")
    {
        lock (_gate) _faults.Add((operation, keyPrefix, fault));
    }

    /// <summary>The next call of the operation never answers until its cancellation token fires.</summary>
    public void HangNext(string operation, string keyPrefix = "") => FailNext(operation, new HangFault(), keyPrefix);

    /// <summary>Completes when a hung call has started.</summary>
    public TaskCompletionSource Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The next <paramref name="count"/> calls of the operation on keys starting with the prefix wait until all
    /// of them have arrived, then each is applied atomically in turn: containers that truly race.
    /// </summary>
    public void HoldUntilAllArrive(string operation, string keyPrefix, int count)
    {
        lock (_gate) _barriers[operation + "|" + keyPrefix] = new Barrier(count);
    }

    /// <summary>A DynamoDB service error as the SDK raises it.</summary>
    public static AmazonDynamoDBException ServiceError(string code, HttpStatusCode status) =>
        new($"{code} (test)", status >= HttpStatusCode.InternalServerError ? ErrorType.Receiver : ErrorType.Sender, code, "ddb-fault-" + code, status);

    private async Task<T> RunAsync<T>(string operation, string table, Dictionary<string, AttributeValue>? key, Func<T> call, CancellationToken ct)
    {
        var pk = key is not null && key.TryGetValue("pk", out var k) ? k.S ?? "" : "";
        Barrier? barrier;
        TaskCompletionSource<T>? never = null;
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Operation == operation && pk.StartsWith(f.KeyPrefix, StringComparison.Ordinal));
            if (fault.Fault is not null)
            {
                _faults.Remove(fault);
                if (fault.Fault is not HangFault) throw fault.Fault;
                never = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            barrier = never is not null ? null : _barriers.FirstOrDefault(b => b.Key.StartsWith(operation + "|", StringComparison.Ordinal)
                && pk.StartsWith(b.Key[(operation.Length + 1)..], StringComparison.Ordinal) && b.Value.Waiting > 0).Value;
            barrier?.Arrive();
        }
        if (never is not null)
        {
            ct.Register(() => never.TrySetCanceled(ct));
            Hung.TrySetResult();
            return await never.Task.ConfigureAwait(false);
        }
        if (barrier is not null) await barrier.All.WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        if (table != TableName) throw Validation($"Requested resource not found: table {table} (test)", "ResourceNotFoundException");
        ct.ThrowIfCancellationRequested();
        return call();
    }

    /// <summary>Keys a BatchGetItem leaves unprocessed from here on (DynamoDB's answer under throttling), at most this many a call.</summary>
    public int? UnprocessedAfter { get; set; }

    private BatchGetItemResponse BatchGet(BatchGetItemRequest request)
    {
        var (table, wanted) = request.RequestItems.Single();
        if (wanted.Keys.Count > 100) throw Validation("Too many items requested for the BatchGetItem call (test)");
        if (wanted.ConsistentRead != true) throw Validation("The skill reads its state strongly consistent (test)");
        var answered = UnprocessedAfter is { } n ? wanted.Keys.Take(n).ToList() : wanted.Keys;
        var left = wanted.Keys.Skip(answered.Count).ToList();
        var items = answered.Select(k => Get(new GetItemRequest { TableName = table, Key = k, ConsistentRead = true }).Item)
            .Where(i => i is { Count: > 0 }).ToList();
        return new BatchGetItemResponse
        {
            Responses = items.Count == 0 ? null : new() { [table] = items },
            UnprocessedKeys = left.Count == 0 ? null : new() { [table] = new KeysAndAttributes { Keys = left, ConsistentRead = true } },
        };
    }

    private GetItemResponse Get(GetItemRequest request)
    {
        lock (_gate)
        {
            var pk = KeyOf(request.Key);
            if (request.ConsistentRead != true) throw Validation("The skill reads its state strongly consistent (test)");
            return Respond(new GetItemResponse { Item = _items.TryGetValue(pk, out var item) ? Copy(item) : null });
        }
    }

    private PutItemResponse Put(PutItemRequest request)
    {
        lock (_gate)
        {
            var pk = KeyOf(request.Item);
            var expression = new Placeholders(request.ExpressionAttributeNames, request.ExpressionAttributeValues);
            _items.TryGetValue(pk, out var current);
            if (request.ConditionExpression is { } condition && !expression.Holds(condition, current)) throw ConditionFailed();
            expression.ThrowIfUnused();
            _items[pk] = Copy(request.Item);
            return Respond(new PutItemResponse());
        }
    }

    private UpdateItemResponse Update(UpdateItemRequest request)
    {
        lock (_gate)
        {
            var pk = KeyOf(request.Key);
            var expression = new Placeholders(request.ExpressionAttributeNames, request.ExpressionAttributeValues);
            _items.TryGetValue(pk, out var current);
            if (request.ConditionExpression is { } condition && !expression.Holds(condition, current)) throw ConditionFailed();
            var next = current is null ? new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { ["pk"] = new AttributeValue { S = pk } } : Copy(current);
            expression.Apply(request.UpdateExpression ?? throw Validation("UpdateExpression missing (test)"), next);
            expression.ThrowIfUnused();
            _items[pk] = next;
            var returned = request.ReturnValues == ReturnValue.ALL_NEW ? Copy(next) : null;
            return Respond(new UpdateItemResponse { Attributes = returned });
        }
    }

    // One page holds everything: the skill's filters are evaluated per item as DynamoDB does after reading.
    private ScanResponse Scan(ScanRequest request)
    {
        lock (_gate)
        {
            if (request.ConsistentRead != true) throw Validation("The skill reads its state strongly consistent (test)");
            var check = new Placeholders(request.ExpressionAttributeNames, request.ExpressionAttributeValues);
            if (request.FilterExpression is { } validate) check.Holds(validate, null);
            check.ThrowIfUnused();
            // A page is the items evaluated (in key order here; DynamoDB's is its hash order), filtered afterwards, as in DynamoDB.
            var after = request.ExclusiveStartKey is { Count: > 0 } start ? KeyOf(start) : null;
            var evaluated = _items.Where(i => after is null || string.CompareOrdinal(i.Key, after) > 0)
                .OrderBy(i => i.Key, StringComparer.Ordinal).Take(ScanPageSize + 1).ToList();
            var page = evaluated.Take(ScanPageSize).ToList();
            var items = page.Select(i => i.Value).Where(item => request.FilterExpression is not { } filter
                    || new Placeholders(request.ExpressionAttributeNames, request.ExpressionAttributeValues).Holds(filter, item))
                .Select(Copy).ToList();
            ScanRequests.Add(request);
            return Respond(new ScanResponse
            {
                Items = items,
                Count = items.Count,
                LastEvaluatedKey = evaluated.Count > ScanPageSize
                    ? new Dictionary<string, AttributeValue> { ["pk"] = new AttributeValue { S = page[^1].Key } }
                    : null,
            });
        }
    }

    private DeleteItemResponse Delete(DeleteItemRequest request)
    {
        lock (_gate)
        {
            _items.Remove(KeyOf(request.Key));
            return Respond(new DeleteItemResponse());
        }
    }

    private static string KeyOf(Dictionary<string, AttributeValue>? key)
    {
        if (key is null || !key.TryGetValue("pk", out var pk) || string.IsNullOrEmpty(pk.S)) throw Validation("The key must be the string attribute pk (test)");
        return pk.S;
    }

    private T Respond<T>(T response) where T : AmazonWebServiceResponse
    {
        response.ResponseMetadata = new ResponseMetadata { RequestId = $"ddb-{Interlocked.Increment(ref _requestCounter):D4}" };
        response.HttpStatusCode = HttpStatusCode.OK;
        return response;
    }

    private static Dictionary<string, AttributeValue> Copy(Dictionary<string, AttributeValue> item) =>
        item.ToDictionary(kv => kv.Key, kv => new AttributeValue { S = kv.Value.S, N = kv.Value.N }, StringComparer.Ordinal);

    private static ConditionalCheckFailedException ConditionFailed() =>
        new("The conditional request failed (test)") { ErrorCode = "ConditionalCheckFailedException", StatusCode = HttpStatusCode.BadRequest };

    private static AmazonDynamoDBException Validation(string message, string code = "ValidationException") =>
        new(message, ErrorType.Sender, code, "ddb-validation", HttpStatusCode.BadRequest);

    private sealed class HangFault : Exception;

    private sealed class Barrier(int count)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiting { get; private set; } = count;

        public Task All => _all.Task;

        public void Arrive()
        {
            if (--Waiting == 0) _all.TrySetResult();
        }
    }

    /// <summary>One request's expressions, with its placeholders; counts which placeholders were used.</summary>
    private sealed partial class Placeholders(Dictionary<string, string>? names, Dictionary<string, AttributeValue>? values)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);
        private List<string> _tokens = [];
        private int _at;

        public void ThrowIfUnused()
        {
            if (names is { Count: 0 }) throw Validation("ExpressionAttributeNames must not be empty (test)");
            if (values is { Count: 0 }) throw Validation("ExpressionAttributeValues must not be empty (test)");
            var unused = (names?.Keys ?? Enumerable.Empty<string>()).Concat(values?.Keys ?? Enumerable.Empty<string>()).Where(p => !_used.Contains(p)).ToList();
            if (unused.Count > 0) throw Validation("Placeholders unused in expressions: " + string.Join(", ", unused) + " (test)");
        }

        public bool Holds(string condition, Dictionary<string, AttributeValue>? item)
        {
            Start(condition);
            var result = Or(item);
            if (_at != _tokens.Count) throw Validation($"Unexpected '{_tokens[_at]}' in condition '{condition}' (test)");
            return result;
        }

        public void Apply(string update, Dictionary<string, AttributeValue> item)
        {
            Start(update);
            while (_at < _tokens.Count)
            {
                var clause = Next().ToUpperInvariant();
                do
                {
                    var name = Name(Next());
                    switch (clause)
                    {
                        case "SET":
                            Expect("=");
                            item[name] = Value(Next());
                            break;
                        case "ADD":
                            var delta = Value(Next());
                            if (delta.N is null) throw Validation("ADD of a non-number (test)");
                            var was = item.TryGetValue(name, out var old) ? old.N ?? throw Validation("ADD to a non-number attribute (test)") : "0";
                            item[name] = new AttributeValue { N = (decimal.Parse(was, CultureInfo.InvariantCulture) + decimal.Parse(delta.N, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) };
                            break;
                        case "REMOVE":
                            item.Remove(name);
                            break;
                        default:
                            throw Validation($"Unknown update clause '{clause}' (test)");
                    }
                }
                while (_at < _tokens.Count && _tokens[_at] == "," && Next() == ",");
            }
        }

        private void Start(string text)
        {
            _tokens = [.. Token().Matches(text).Select(m => m.Value)];
            if (string.Concat(_tokens).Length != text.Replace(" ", "", StringComparison.Ordinal).Length)
                throw Validation($"Unreadable expression '{text}' (test)");
            _at = 0;
        }

        private bool Or(Dictionary<string, AttributeValue>? item)
        {
            var result = And(item);
            while (Peek("OR")) { Next(); result = And(item) | result; }
            return result;
        }

        private bool And(Dictionary<string, AttributeValue>? item)
        {
            var result = Factor(item);
            while (Peek("AND")) { Next(); result = Factor(item) & result; }
            return result;
        }

        private bool Factor(Dictionary<string, AttributeValue>? item)
        {
            var token = Next();
            if (token == "(")
            {
                var inner = Or(item);
                Expect(")");
                return inner;
            }
            if (token.Equals("NOT", StringComparison.OrdinalIgnoreCase)) return !Factor(item);
            if (token is "attribute_exists" or "attribute_not_exists")
            {
                Expect("(");
                var name = Name(Next());
                Expect(")");
                var exists = item is not null && item.ContainsKey(name);
                return token == "attribute_exists" ? exists : !exists;
            }
            var left = Operand(token, item);
            var op = Next();
            var right = Operand(Next(), item);
            if (left is null || right is null) return false;
            int? order = left.N is not null && right.N is not null
                ? decimal.Parse(left.N, CultureInfo.InvariantCulture).CompareTo(decimal.Parse(right.N, CultureInfo.InvariantCulture))
                : left.S is not null && right.S is not null ? string.CompareOrdinal(left.S, right.S) : null;
            if (order is not { } c) return op == "<>";
            return op switch
            {
                "=" => c == 0,
                "<>" => c != 0,
                "<" => c < 0,
                "<=" => c <= 0,
                ">" => c > 0,
                ">=" => c >= 0,
                _ => throw Validation($"Unknown comparison '{op}' (test)"),
            };
        }

        private AttributeValue? Operand(string token, Dictionary<string, AttributeValue>? item)
        {
            if (token.StartsWith(':')) return Value(token);
            var name = Name(token);
            return item is not null && item.TryGetValue(name, out var v) ? v : null;
        }

        private string Name(string token)
        {
            if (!token.StartsWith('#')) throw Validation($"Attribute names go through #placeholders in this skill, not '{token}' (test)");
            if (names is null || !names.TryGetValue(token, out var name)) throw Validation($"Undefined name placeholder {token} (test)");
            _used.Add(token);
            return name;
        }

        private AttributeValue Value(string token)
        {
            if (values is null || !values.TryGetValue(token, out var value)) throw Validation($"Undefined value placeholder {token} (test)");
            _used.Add(token);
            return value;
        }

        private bool Peek(string keyword) => _at < _tokens.Count && _tokens[_at].Equals(keyword, StringComparison.OrdinalIgnoreCase);

        private string Next() => _at < _tokens.Count ? _tokens[_at++] : throw Validation("Expression ended early (test)");

        private void Expect(string token)
        {
            if (Next() != token) throw Validation($"Expected '{token}' (test)");
        }

        [GeneratedRegex(@"<>|<=|>=|[=<>(),]|[#:]?[A-Za-z0-9_]+")]
        private static partial Regex Token();
    }
}
