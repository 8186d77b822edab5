using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>
/// inspector2's REST-JSON answers over a <see cref="FakeFleet"/>: account status, one completed CIS scan of the tag,
/// per-instance finding aggregations (100 a page, as the API allows), the worst findings, CIS results, the report link.
/// </summary>
internal sealed class FakeInspector2(FakeFleet fleet)
{
    /// <summary>The response body for a POST to a path, or null for an unknown route.</summary>
    public byte[]? Respond(string path, ReadOnlySpan<byte> body)
    {
        var request = body.Length == 0 ? null : JsonNode.Parse(body);
        var token = request?["nextToken"]?.GetValue<string>();
        return path switch
        {
            "/status/batch/get" => Json(w =>
            {
                w.WriteStartArray("accounts");
                w.WriteStartObject();
                w.WriteString("accountId", FakeFleet.AccountId);
                w.WriteStartObject("resourceState");
                w.WriteStartObject("ec2");
                w.WriteString("status", "ENABLED");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("state");
                w.WriteString("status", "ENABLED");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }),
            "/cis/scan/list" => Json(w =>
            {
                w.WriteStartArray("scans");
                w.WriteStartObject();
                w.WriteString("scanArn", "arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/cis-scan/bench");
                w.WriteString("scanConfigurationArn", "arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/cis-configuration/bench");
                w.WriteString("scanName", FakeFleet.ScanName);
                w.WriteString("status", "COMPLETED");
                w.WriteNumber("scanDate", 1796025600);
                w.WriteNumber("failedChecks", fleet.Instances.Count * 8);
                w.WriteNumber("totalChecks", fleet.Instances.Count * 120);
                w.WriteStartObject("targets");
                w.WriteStartArray("accountIds");
                w.WriteStringValue(FakeFleet.AccountId);
                w.WriteEndArray();
                w.WriteStartObject("targetResourceTags");
                w.WriteStartArray(FakeFleet.TagKey);
                w.WriteStringValue(FakeFleet.TagValue);
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }),
            "/findings/aggregation/list" => Page(fleet.Instances, token, 100, "responses", (w, i) =>
            {
                w.WriteStartObject();
                w.WriteStartObject("ec2InstanceAggregation");
                w.WriteString("instanceId", i.Id);
                w.WriteStartObject("instanceTags");
                foreach (var (k, v) in i.Tags) w.WriteString(k, v);
                w.WriteEndObject();
                w.WriteStartObject("severityCounts");
                w.WriteNumber("all", i.All);
                w.WriteNumber("critical", i.Critical);
                w.WriteNumber("high", i.High);
                w.WriteNumber("medium", i.Medium);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }, w => w.WriteString("aggregationType", "AWS_EC2_INSTANCE")),
            "/findings/list" => Page(fleet.Instances.Where(i => i.Critical > 0).Take(request?["maxResults"]?.GetValue<int>() ?? 5).ToList(), null, 100, "findings", (w, i) =>
            {
                w.WriteStartObject();
                w.WriteString("severity", "CRITICAL");
                w.WriteString("status", "ACTIVE");
                w.WriteString("title", "CVE-2026-0001 - openssl");
                w.WriteString("fixAvailable", "YES");
                w.WriteStartArray("resources");
                w.WriteStartObject();
                w.WriteString("id", i.Id);
                w.WriteString("type", "AWS_EC2_INSTANCE");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartObject("packageVulnerabilityDetails");
                w.WriteString("vulnerabilityId", "CVE-2026-0001");
                w.WriteStartArray("vulnerablePackages");
                w.WriteStartObject();
                w.WriteString("name", "openssl");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }),
            "/cis/scan-result/resource/list" => Page(fleet.Instances, token, 100, "targetResourceAggregations", (w, i) =>
            {
                w.WriteStartObject();
                w.WriteString("targetResourceId", i.Id);
                w.WriteStartObject("statusCounts");
                w.WriteNumber("passed", 112);
                w.WriteNumber("failed", 8);
                w.WriteNumber("skipped", 0);
                w.WriteEndObject();
                w.WriteString("targetStatus", "COMPLETED");
                w.WriteEndObject();
            }),
            "/cis/scan/report/get" => Json(w =>
            {
                w.WriteString("status", "SUCCEEDED");
                w.WriteString("url", "https://example.com/report.csv");
            }),
            "/coverage/list" => Page(fleet.Instances, token, 200, "coveredResources", (w, i) =>
            {
                w.WriteStartObject();
                w.WriteString("resourceId", i.Id);
                w.WriteString("resourceType", "AWS_EC2_INSTANCE");
                w.WriteString("scanMode", "EC2_SSM_AGENT_BASED");
                w.WriteNumber("lastScannedAt", 1796025600);
                w.WriteStartObject("scanStatus");
                w.WriteString("statusCode", "ACTIVE");
                w.WriteString("reason", "SUCCESSFUL");
                w.WriteEndObject();
                w.WriteEndObject();
            }),
            "/coverage/statistics/list" => Json(w =>
            {
                w.WriteStartArray("countsByGroup");
                w.WriteStartObject();
                w.WriteNumber("count", fleet.Instances.Count);
                w.WriteString("groupKey", "ACTIVE");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteNumber("totalCounts", fleet.Instances.Count);
            }),
            "/cis/scan-configuration/create" => Json(w => w.WriteString("scanConfigurationArn", "arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/cis-configuration/new")),
            "/enable" => Json(w =>
            {
                w.WriteStartArray("accounts");
                w.WriteStartObject();
                w.WriteString("accountId", FakeFleet.AccountId);
                w.WriteString("status", "ENABLED");
                w.WriteEndObject();
                w.WriteEndArray();
            }),
            _ => null,
        };
    }

    private static byte[] Json(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Page<T>(IReadOnlyList<T> all, string? token, int size, string member, Action<Utf8JsonWriter, T> item, Action<Utf8JsonWriter>? extra = null)
    {
        var (items, next) = FakeFleet.Slice(all, token, size);
        return Json(w =>
        {
            extra?.Invoke(w);
            w.WriteStartArray(member);
            foreach (var i in items) item(w, i);
            w.WriteEndArray();
            if (next is not null) w.WriteString("nextToken", next);
        });
    }
}

/// <summary>
/// The transport under the real <c>SignedJsonClient</c>: answers inspector2 routes from <see cref="FakeInspector2"/>,
/// counts every call by IAM action name, and can wait a fixed latency per call, as a slow AWS would.
/// </summary>
internal sealed class CountingInspectorHandler(FakeInspector2 inspector, CallCounter counter, TimeSpan latency) : HttpMessageHandler
{
    private static readonly Dictionary<string, string> Operations = new(StringComparer.Ordinal)
    {
        ["/status/batch/get"] = "inspector2:BatchGetAccountStatus",
        ["/cis/scan/list"] = "inspector2:ListCisScans",
        ["/findings/aggregation/list"] = "inspector2:ListFindingAggregations",
        ["/findings/list"] = "inspector2:ListFindings",
        ["/cis/scan-result/resource/list"] = "inspector2:ListCisScanResultsAggregatedByTargetResource",
        ["/cis/scan/report/get"] = "inspector2:GetCisScanReport",
        ["/coverage/list"] = "inspector2:ListCoverage",
        ["/coverage/statistics/list"] = "inspector2:ListCoverageStatistics",
        ["/cis/scan-configuration/create"] = "inspector2:CreateCisScanConfiguration",
        ["/enable"] = "inspector2:Enable",
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        counter.Add(Operations.GetValueOrDefault(path, "inspector2:" + path));
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var wait = counter.Latency ?? latency;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        var answer = inspector.Respond(path, body);
        return answer is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(answer) };
    }
}

/// <summary>Counts AWS calls by IAM action name; thread-safe, because the skill makes independent calls at once.</summary>
internal sealed class CallCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<(string Operation, long At)> _starts = new();

    /// <summary>When set, the latency every fake counting into this waits, instead of the one it was built with.</summary>
    public TimeSpan? Latency { get; set; }

    public void Add(string operation)
    {
        _starts.Enqueue((operation, System.Diagnostics.Stopwatch.GetTimestamp()));
        _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
    }

    /// <summary>How many calls have started so far: a mark to measure a part of a conversation from.</summary>
    public int Started => _starts.Count;

    /// <summary>
    /// The sequential round trips on the critical path of the calls started from <paramref name="from"/> on: the longest
    /// chain of calls each started after the one before it had answered. Every call takes <paramref name="latency"/>, so
    /// a call started later than 90 % of it after another one waited for that one (or for something as long).
    /// </summary>
    public (int Depth, IReadOnlyList<string> Chain) CriticalPath(int from, TimeSpan latency)
    {
        var calls = _starts.Skip(from).OrderBy(c => c.At).ToList();
        var gap = (long)(latency.TotalSeconds * 0.9 * System.Diagnostics.Stopwatch.Frequency);
        var depth = new int[calls.Count];
        var previous = new int[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            depth[i] = 1;
            previous[i] = -1;
            for (var j = 0; j < i; j++)
            {
                if (calls[i].At - calls[j].At >= gap && depth[j] + 1 > depth[i]) { depth[i] = depth[j] + 1; previous[i] = j; }
            }
        }
        if (calls.Count == 0) return (0, []);
        var last = Array.IndexOf(depth, depth.Max());
        var chain = new List<string>();
        for (var k = last; k >= 0; k = previous[k]) chain.Add(calls[k].Operation);
        chain.Reverse();
        return (depth[last], chain);
    }

    public int Total => _counts.Values.Sum();

    public int Of(string operation) => _counts.GetValueOrDefault(operation);

    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);
}
