using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace SecurityAlexa.Tests.Scanning;

/// <summary>
/// "What did the scan find for environment prod" on fleets of 1,000 and 10,000 instances, every one vulnerable,
/// through the real entry point: EC2 as a Moq fleet, Inspector as WireMock pages of 100 rows with nextToken.
/// </summary>
public sealed class ScanResultsAtScaleTests : IDisposable
{
    private const string ScanArn = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-scan/fleet";
    private const string ConfigArn = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/fleet";
    private const int PageRows = 100;
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 28, 0, TimeSpan.Zero);

    private readonly WireMockServer _inspector = FakeAws.Server();
    private readonly ConcurrentQueue<string> _paths = new();
    private int _fleetSize;

    public ScanResultsAtScaleTests() =>
        _inspector.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(Respond));

    public void Dispose() => _inspector.Dispose();

    private static string Id(int i) => "i-0" + i.ToString("x16", CultureInfo.InvariantCulture);

    private static string Name(int i) => "web-" + i.ToString(CultureInfo.InvariantCulture);

    // Instance i has (i % 7) critical findings, so the worst are spread through the fleet.
    private static int Critical(int i) => i % 7;

    private static string AggregationRow(int i) =>
        $$$$"""{"ec2InstanceAggregation":{"instanceId":"{{{{Id(i)}}}}","instanceTags":{"Name":"{{{{Name(i)}}}}","Environment":"prod"},"severityCounts":{"all":{{{{Critical(i) + 20}}}},"critical":{{{{Critical(i)}}}},"high":5,"medium":15}}}""";

    private static string CisRow(int i) =>
        $$$"""{"scanArn":"{{{ScanArn}}}","targetResourceId":"{{{Id(i)}}}","statusCounts":{"passed":112,"failed":8,"skipped":0},"targetStatus":"COMPLETED"}""";

    private ResponseMessage Respond(IRequestMessage request)
    {
        var path = request.Path ?? "/";
        _paths.Enqueue(path);
        var body = JsonNode.Parse(request.Body ?? "{}")!;
        var start = int.TryParse((string?)body["nextToken"], CultureInfo.InvariantCulture, out var t) ? t : 0;
        var end = Math.Min(_fleetSize, start + PageRows);
        var next = end < _fleetSize ? $",\"nextToken\":\"{end}\"" : "";
        string Rows(Func<int, string> row) => string.Join(',', Enumerable.Range(start, end - start).Select(row));
        var json = path switch
        {
            "/cis/scan/list" => $$$$"""{"scans":[{"scanArn":"{{{{ScanArn}}}}","scanConfigurationArn":"{{{{ConfigArn}}}}","scanName":"SecurityAlexa-Environment-prod-20261129T100000Z","status":"COMPLETED","scanDate":1796119200,"failedChecks":{{{{_fleetSize * 8}}}},"totalChecks":{{{{_fleetSize * 120}}}},"targets":{"accountIds":["111122223333"],"targetResourceTags":{"Environment":["prod"]}}}]}""",
            "/findings/aggregation/list" => "{\"aggregationType\":\"AWS_EC2_INSTANCE\",\"responses\":[" + Rows(AggregationRow) + "]" + next + "}",
            "/cis/scan-result/resource/list" => "{\"targetResourceAggregations\":[" + Rows(CisRow) + "]" + next + "}",
            "/findings/list" => """{"findings":[]}""",
            "/cis/scan/report/get" => """{"status":"SUCCEEDED","url":"https://inspector-reports.example/cis.csv"}""",
            _ => """{"message":"unexpected"}""",
        };
        return new ResponseMessage
        {
            StatusCode = 200,
            BodyData = new BodyData { BodyAsString = json, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
    }

    private async Task<(AlexaReply Reply, int InspectorCalls)> AskAsync(int fleetSize)
    {
        _fleetSize = fleetSize;
        _paths.Clear();
        var fleet = new Ec2Fleet();
        for (var i = 0; i < fleetSize; i++) fleet.Add(Id(i), Name(i), "running", "Environment=prod");
        var time = new FakeTimeProvider(Start);
        var directory = new Ec2InstanceDirectory(fleet.Client);
        var driver = new SkillDriver(new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory, time),
            Scanner = new Inspector2Client(FakeAws.Client(_inspector, AwsService.Inspector2)),
        }, time: time);

        var reply = await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent", ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null), ("Severity", null)));
        return (reply, _paths.Count);
    }

    [Fact]
    public async Task Results_On10000VulnerableInstances_FitAlexasLimitWithTheSameCallsAsOn1000()
    {
        var (atThousand, thousandCalls) = await AskAsync(1_000);
        var (atTenThousand, tenThousandCalls) = await AskAsync(10_000);

        Assert.Equal(thousandCalls, tenThousandCalls);
        // The scan, two aggregation pages, one CIS page, the worst findings and the report link.
        Assert.Equal(6, tenThousandCalls);
        Assert.True(atTenThousand.Bytes < 24 * 1024, $"The response is {atTenThousand.Bytes} bytes");
        Assert.True(atThousand.Bytes < 24 * 1024, $"The response is {atThousand.Bytes} bytes");

        // Check totals come from the scan itself, exactly; vulnerability figures read from 200 rows are lower bounds.
        Assert.Contains("has finished. 1120000 checks passed and 80000 failed.", atTenThousand.Speech);
        Assert.Contains("Inspector reports at least ", atTenThousand.Speech);
        Assert.Contains("on at least 200 instances", atTenThousand.Speech);
        Assert.Contains("web-6 has the most, with 6 critical.", atTenThousand.Speech);
        Assert.DoesNotContain("both critical", atTenThousand.Speech);
        Assert.Contains("And more than 190 other instances with findings.", atTenThousand.CardText);
    }

    [Fact]
    public async Task Results_On10000VulnerableInstances_RememberTheTagAndACountForPatchThem()
    {
        var (reply, _) = await AskAsync(10_000);

        var data = (string?)reply.SessionAttributes?["securityAlexa"]?["data"];
        var focus = JsonNode.Parse(data!)!["focus"]!;
        Assert.Empty(focus["ids"]!.AsArray());
        Assert.Equal(200, (int?)focus["count"]);
        Assert.False(string.IsNullOrEmpty((string?)focus["digest"]));
        Assert.Equal(("Environment", "prod"), ((string?)focus["tagKey"], (string?)focus["tagValue"]));
        Assert.True((bool?)focus["vuln"]);
    }

    [Fact]
    public async Task Results_OnAFleetThatFitsTheBound_GiveExactTotalsWithoutAtLeast()
    {
        var (reply, calls) = await AskAsync(150);

        Assert.DoesNotContain("at least", reply.Speech);
        Assert.Contains("Inspector reports 444 critical and 750 high vulnerabilities", reply.Speech);
        Assert.Equal(6, calls); // both aggregation pages, to the end; one CIS page, whose totals come from the scan
    }
}
