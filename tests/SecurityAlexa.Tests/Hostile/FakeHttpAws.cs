using System.Collections.Concurrent;
using System.Text;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// Amazon Inspector (inspector2, REST-JSON) and CloudWatch Logs (JSON 1.1) on one loopback WireMock server,
/// for the services the skill calls over signed HTTP. Every request is answered by a callback that records
/// it before the answer leaves (WireMock's own log is written after), so counting calls is not a race.
/// Reads get small realistic answers; any other route or target counts as a change.
/// </summary>
public sealed class FakeHttpAws : IDisposable
{
    public const string Account = "111122223333";
    public const string ConfigurationArn = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/0f1e2d3c";

    // Inspector routes that only read; every other inspector2 route changes something (/enable, /cis/scan-configuration/create, ...).
    private static readonly Dictionary<string, string> InspectorReads = new(StringComparer.Ordinal)
    {
        ["/status/batch/get"] = "inspector2:BatchGetAccountStatus",
        ["/coverage/list"] = "inspector2:ListCoverage",
        ["/coverage/statistics/list"] = "inspector2:ListCoverageStatistics",
        ["/findings/list"] = "inspector2:ListFindings",
        ["/findings/aggregation/list"] = "inspector2:ListFindingAggregations",
        ["/cis/scan/list"] = "inspector2:ListCisScans",
        ["/cis/scan-result/resource/list"] = "inspector2:ListCisScanResultsAggregatedByTargetResource",
        ["/cis/scan/report/get"] = "inspector2:GetCisScanReport",
    };

    private static readonly Dictionary<string, string> InspectorChanges = new(StringComparer.Ordinal)
    {
        ["/enable"] = "inspector2:Enable",
        ["/cis/scan-configuration/create"] = "inspector2:CreateCisScanConfiguration",
    };

    // CloudWatch Logs targets that only read (a Logs Insights query reads; it changes no log group).
    private static readonly HashSet<string> LogsReads = new(StringComparer.Ordinal)
    {
        "logs:StartQuery", "logs:GetQueryResults", "logs:StopQuery", "logs:DescribeQueries", "logs:DescribeLogGroups", "logs:FilterLogEvents", "logs:GetLogEvents",
    };

    private readonly WireMockServer _server = FakeAws.Server();
    private readonly ConcurrentQueue<HttpCall> _calls = new();
    private readonly Dictionary<string, (int Status, string Body, string? ErrorType, int Times)> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _hangs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private string _ec2Scanning;

    /// <param name="ec2Scanning">Inspector's EC2 scanning status: DISABLED (the default, so both scan intents have a read-back), ENABLED or ENABLING.</param>
    public FakeHttpAws(string ec2Scanning = "DISABLED")
    {
        _ec2Scanning = ec2Scanning;
        _server.Given(Request.Create().WithPath(new RegexMatcher(".*")).UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(RespondAsync));
    }

    /// <summary>The server's URL, for AWS_ENDPOINT_URL_INSPECTOR2 and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS.</summary>
    public string Url => _server.Urls[0];

    /// <summary>Every call, in the order it arrived.</summary>
    public IReadOnlyList<HttpCall> Calls => _calls.ToArray();

    /// <summary>The calls that would change the account.</summary>
    public IReadOnlyList<HttpCall> MutatingCalls => Calls.Where(c => c.IsMutating).ToList();

    /// <summary>The calls of one operation ("inspector2:Enable", "logs:StartQuery").</summary>
    public IReadOnlyList<HttpCall> CallsOf(string operation) => Calls.Where(c => c.Operation == operation).ToList();

    /// <summary>Completes when a hung call has arrived.</summary>
    public TaskCompletionSource Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The next <paramref name="times"/> calls of an operation get this error: an HTTP status, the AWS error
    /// type (x-amzn-ErrorType and __type) and a message.
    /// </summary>
    public void Fail(string operation, int status, string errorType, int times = int.MaxValue)
    {
        lock (_gate) _faults[operation] = (status, $$"""{"__type":"{{errorType}}","message":"{{errorType}} (test)"}""", errorType, times);
    }

    /// <summary>Calls of an operation never answer until the client gives up (its deadline) or the server stops.</summary>
    public void Hang(string operation)
    {
        lock (_gate) _hangs[operation] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Stops failing or hanging.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _faults.Clear();
            foreach (var hang in _hangs.Values) hang.TrySetResult();
            _hangs.Clear();
        }
    }

    public void Dispose()
    {
        Heal();
        _server.Dispose();
    }

    private async Task<IResponseMessage> RespondAsync(IRequestMessage request)
    {
        var path = request.Path ?? "/";
        var target = Header(request, "X-Amz-Target");
        var (operation, mutating) = QueryAction(request.Body) ?? Classify(path, target);
        _calls.Enqueue(new HttpCall(operation, path, request.Body ?? "", mutating));

        TaskCompletionSource? hang;
        lock (_gate)
        {
            hang = _hangs.GetValueOrDefault(operation);
            if (_faults.TryGetValue(operation, out var fault) && fault.Times > 0)
            {
                _faults[operation] = fault with { Times = fault.Times - 1 };
                return Message(fault.Status, fault.Body, fault.ErrorType);
            }
        }
        if (hang is not null)
        {
            Hung.TrySetResult();
            await hang.Task;
            return Message(503, """{"message":"stopped"}""");
        }
        return Answer(operation);
    }

    private IResponseMessage Answer(string operation)
    {
        switch (operation)
        {
            case "inspector2:BatchGetAccountStatus":
                string state;
                lock (_gate) state = _ec2Scanning;
                return Message(200, $$$"""{"accounts":[{"accountId":"{{{Account}}}","resourceState":{"ec2":{"status":"{{{state}}}"},"ecr":{"status":"DISABLED"}},"state":{"status":"ENABLED"}}],"failedAccounts":[]}""");
            case "inspector2:Enable":
                lock (_gate) _ec2Scanning = "ENABLING";
                return Message(200, $$"""{"accounts":[{"accountId":"{{Account}}","resourceStatus":{"ec2":"ENABLING","ecr":"DISABLED"},"status":"ENABLING"}],"failedAccounts":[]}""");
            case "inspector2:CreateCisScanConfiguration":
                return Message(200, $$"""{"scanConfigurationArn":"{{ConfigurationArn}}"}""");
            case "inspector2:ListCoverage":
                var covered = string.Join(",", HostileHarness.Fleet.Select(f =>
                    $$"""{"accountId":"{{Account}}","resourceId":"{{f.Id}}","resourceType":"AWS_EC2_INSTANCE","scanType":"PACKAGE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1795940880,"scanMode":"EC2_SSM_AGENT_BASED"}"""));
                return Message(200, "{\"coveredResources\":[" + covered + "]}");
            case "inspector2:ListCoverageStatistics":
                return Message(200, $$"""{"countsByGroup":[{"count":{{HostileHarness.Fleet.Count}},"groupKey":"ACTIVE"}],"totalCounts":{{HostileHarness.Fleet.Count}}}""");
            case "inspector2:ListCisScans":
                return Message(200, """{"scans":[]}""");
            case "inspector2:ListCisScanResultsAggregatedByTargetResource":
                return Message(200, """{"targetResourceAggregations":[]}""");
            case "inspector2:ListFindingAggregations":
                return Message(200, """{"aggregationType":"AWS_EC2_INSTANCE","responses":[]}""");
            case "inspector2:ListFindings":
                return Message(200, """{"findings":[]}""");
            case "inspector2:GetCisScanReport":
                return Message(200, """{"status":"SUCCEEDED","url":"https://inspector-reports.example/cis.csv"}""");
            case "logs:StartQuery":
                return Message(200, """{"queryId":"q-hostile-1"}""");
            case "logs:GetQueryResults":
                return Message(200, """{"status":"Complete","results":[[{"field":"rejected","value":"12"}]]}""");
            // The fleet is in no Auto Scaling group and no target group.
            case "autoscaling:DescribeAutoScalingInstances":
                return Xml("""<DescribeAutoScalingInstancesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingInstancesResult><AutoScalingInstances/></DescribeAutoScalingInstancesResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeAutoScalingInstancesResponse>""");
            case "elasticloadbalancing:DescribeTargetGroups":
                return Xml("""<DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetGroupsResult><TargetGroups/></DescribeTargetGroupsResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>""");
            default:
                return Message(400, """{"__type":"UnknownOperationException","message":"not expected in this test"}""", "UnknownOperationException");
        }
    }

    // Query protocol (Auto Scaling, ELBv2, IAM): Action=…&Version=… in a form body; the version names the service.
    private static (string Operation, bool Mutating)? QueryAction(string? body)
    {
        if (body is null || !body.StartsWith("Action=", StringComparison.Ordinal)) return null;
        var form = body.Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
        var service = form.GetValueOrDefault("Version") switch
        {
            "2011-01-01" => "autoscaling",
            "2015-12-01" => "elasticloadbalancing",
            "2010-05-08" => "iam",
            _ => "query",
        };
        var action = form["Action"];
        return (service + ":" + action, !action.StartsWith("Describe", StringComparison.Ordinal) && !action.StartsWith("Get", StringComparison.Ordinal));
    }

    private static ResponseMessage Xml(string body)
    {
        var message = Message(200, body);
        message.Headers!["Content-Type"] = new("text/xml");
        return message;
    }

    private static (string Operation, bool Mutating) Classify(string path, string? target)
    {
        if (target is not null)
        {
            var name = "logs:" + target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..];
            return (name, !LogsReads.Contains(name));
        }
        if (InspectorReads.TryGetValue(path, out var read)) return (read, false);
        return (InspectorChanges.GetValueOrDefault(path) ?? "inspector2:" + path, true);
    }

    private static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private static ResponseMessage Message(int status, string body, string? errorType = null)
    {
        var headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new("application/json"),
            ["x-amzn-RequestId"] = new(Guid.NewGuid().ToString()),
        };
        if (errorType is not null) headers["x-amzn-ErrorType"] = new(errorType);
        return new ResponseMessage
        {
            StatusCode = status,
            Headers = headers,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
    }
}

/// <summary>One HTTP call the skill made: the operation (IAM style), the path, the JSON body, and whether it changes anything.</summary>
public sealed record HttpCall(string Operation, string Path, string Body, bool IsMutating);
