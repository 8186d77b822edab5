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
/// "Scan the instances tagged environment prod", then the number said back, on fleets up to 10,000 instances, through the
/// real entry point: EC2 as a Moq fleet, Inspector as WireMock serving ListCoverage in pages of 200 with nextToken and
/// ListCoverageStatistics grouped by scan status. Every 100th instance (i % 100 == 7) has no SSM agent reporting.
/// </summary>
public sealed class ScanCoverageAtScaleTests : IDisposable
{
    private const int PageRows = 200;
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 28, 0, TimeSpan.Zero);

    private readonly WireMockServer _inspector = FakeAws.Server();
    private readonly ConcurrentQueue<(string Path, JsonNode Body)> _calls = new();
    private int _fleetSize;

    public ScanCoverageAtScaleTests() =>
        _inspector.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(Respond));

    public void Dispose() => _inspector.Dispose();

    private static string Id(int i) => "i-0" + i.ToString("x16", CultureInfo.InvariantCulture);

    private static bool Uncovered(int i) => i % 100 == 7;

    // Most were scanned 2 hours ago; web-3 (first page) 5 hours ago; web-5000 (far beyond the first page) 30 hours ago.
    private static long LastScanned(int i) => Start.AddHours(i == 3 ? -5 : i == 5000 ? -30 : -2).ToUnixTimeSeconds();

    private static string CoverageRow(int i) => Uncovered(i)
        ? $$$"""{"resourceId":"{{{Id(i)}}}","resourceType":"AWS_EC2_INSTANCE","scanStatus":{"statusCode":"INACTIVE","reason":"UNMANAGED_EC2_INSTANCE"}}"""
        : $$$"""{"resourceId":"{{{Id(i)}}}","resourceType":"AWS_EC2_INSTANCE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":{{{LastScanned(i)}}}}""";

    private ResponseMessage Respond(IRequestMessage request)
    {
        var path = request.Path ?? "/";
        var body = JsonNode.Parse(request.Body ?? "{}")!;
        _calls.Enqueue((path, body));
        var start = int.TryParse((string?)body["nextToken"], CultureInfo.InvariantCulture, out var t) ? t : 0;
        var end = Math.Min(_fleetSize, start + PageRows);
        var next = end < _fleetSize ? $",\"nextToken\":\"{end}\"" : "";
        var active = Enumerable.Range(0, _fleetSize).Count(i => !Uncovered(i));
        var json = path switch
        {
            "/status/batch/get" => """{"accounts":[{"accountId":"111122223333","resourceState":{"ec2":{"status":"ENABLED"}},"state":{"status":"ENABLED"}}]}""",
            "/cis/scan-configuration/create" => """{"scanConfigurationArn":"arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/fleet"}""",
            "/coverage/list" => "{\"coveredResources\":[" + string.Join(',', Enumerable.Range(start, end - start).Select(CoverageRow)) + "]" + next + "}",
            "/coverage/statistics/list" => $$"""{"countsByGroup":[{"count":{{active}},"groupKey":"ACTIVE"},{"count":{{_fleetSize - active}},"groupKey":"INACTIVE"}],"totalCounts":{{_fleetSize}}}""",
            _ => """{"message":"unexpected"}""",
        };
        return new ResponseMessage
        {
            StatusCode = 200,
            BodyData = new BodyData { BodyAsString = json, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
    }

    // Turn 1 reads back and asks for the number; turn 2 says it. Returns the answer and the Inspector paths of turn 2.
    private async Task<(AlexaReply Reply, List<(string Path, JsonNode Body)> Calls)> ScanAsync(int fleetSize)
    {
        _fleetSize = fleetSize;
        var fleet = new Ec2Fleet();
        for (var i = 0; i < fleetSize; i++) fleet.Add(Id(i), "web-" + i.ToString(CultureInfo.InvariantCulture), "running", "Environment=prod");
        var time = new FakeTimeProvider(Start);
        var directory = new Ec2InstanceDirectory(fleet.Client);
        var driver = new SkillDriver(new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory, time),
            Scanner = new Inspector2Client(FakeAws.Client(_inspector, AwsService.Inspector2)),
        }, time: time);

        var readBack = await driver.SayAsync(AlexaRequests.Intent("ScanIntent", ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null), ("ConfirmCount", null)));
        Assert.Equal("ConfirmCount", (string?)readBack.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        _calls.Clear();
        var reply = await driver.SayAsync(AlexaRequests.Intent("ScanIntent", ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null),
            ("ConfirmCount", fleetSize.ToString(CultureInfo.InvariantCulture))));
        return (reply, [.. _calls]);
    }

    [Fact]
    public async Task Scan_Of10000Instances_ReadsCoverageInTheSameTwoCallsAsAt1000_AndSpeaksTheExactCount()
    {
        var (atThousand, thousandCalls) = await ScanAsync(1_000);
        var (reply, calls) = await ScanAsync(10_000);

        var coverageCalls = calls.Where(c => c.Path.StartsWith("/coverage/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/coverage/list", "/coverage/statistics/list"], coverageCalls.Select(c => c.Path));
        Assert.Equal(thousandCalls.Count, calls.Count);
        Assert.Single(calls, c => c.Path == "/cis/scan-configuration/create");
        // Only the first page: the rest of the fleet is counted, not listed.
        Assert.Null(coverageCalls[0].Body["nextToken"]);
        Assert.Equal("""[{"comparison":"EQUALS","key":"Environment","value":"prod"}]""", coverageCalls[1].Body["filterCriteria"]!["ec2InstanceTags"]!.ToJsonString());

        // 9,900 exact, from the statistics; the oldest scan and the uncovered names only of the 200 read, said as such.
        Assert.Equal("Scanning 10000 instances tagged Environment prod. 9900 of 10000 are covered by continuous vulnerability scanning. "
            + "Among the 200 I checked, the oldest last scan was 5 hours ago. Among the 200 I checked, some aren't covered. "
            + "web-107 and web-7 aren't covered, because their SSM agents aren't reporting. Ask me what the scan found in a few minutes.", reply.Speech);
        Assert.DoesNotContain("30 hours", reply.Speech);
        Assert.Contains("990 of 1000 are covered", atThousand.Speech);
        Assert.Contains("Inspector counts 9900 of the 10000 instances as covered.", reply.CardText);
        Assert.True(reply.Bytes < 24 * 1024, $"The response is {reply.Bytes} bytes");
    }

    [Fact]
    public async Task Scan_OfAFleetThatFitsOnePage_ReadsOnePageAndNoStatistics_AndSpeaksAsBefore()
    {
        var (reply, calls) = await ScanAsync(150);

        Assert.Equal(["/coverage/list"], calls.Where(c => c.Path.StartsWith("/coverage/", StringComparison.Ordinal)).Select(c => c.Path));
        Assert.Equal("Scanning 150 instances tagged Environment prod. 148 of 150 are covered by continuous vulnerability scanning, last scanned 5 hours ago. "
            + "web-107 and web-7 aren't covered, because their SSM agents aren't reporting. Ask me what the scan found in a few minutes.", reply.Speech);
    }
}
