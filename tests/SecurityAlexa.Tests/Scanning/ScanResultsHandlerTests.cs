using System.Text.Json.Nodes;
using SecurityAlexa.Scanning;

namespace SecurityAlexa.Tests.Scanning;

public sealed class ScanResultsHandlerTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string Web2 = "i-0a1b2c3d4e5f60002";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";

    private static ScanConversation WithProdFindings()
    {
        var c = new ScanConversation();
        c.Inspector.Findings.Add(new InstanceFindings(Web1, "web-1", new SeverityCounts(10, 2, 5, 3)));
        c.Inspector.Findings.Add(new InstanceFindings(Web2, "web-2", new SeverityCounts(6, 0, 6, 0)));
        c.Inspector.Findings.Add(new InstanceFindings(Db1, "db-1", new SeverityCounts(4, 0, 0, 4)));
        c.Inspector.Top.Add(new FindingDetail(Web1, "CRITICAL", "CVE-2024-6387 - openssh", "CVE-2024-6387", "openssh-server", "YES"));
        return c;
    }

    [Fact]
    public async Task Results_AfterAFinishedScan_SpeaksChecksSeveritiesAndTheWorstInstance()
    {
        var c = WithProdFindings();
        c.Inspector.AddScan(ScanConversation.Start.AddMinutes(-30), CisScanState.Completed);
        c.Inspector.Results.Add(new CisInstanceResult(Web1, 100, 12, 0, "COMPLETED", null));
        c.Inspector.Results.Add(new CisInstanceResult(Web2, 105, 7, 0, "COMPLETED", null));
        c.Inspector.Results.Add(new CisInstanceResult(Db1, 0, 0, 0, "COMPLETED", "SSM_UNMANAGED"));

        var reply = await c.Say("ScanResultsIntent", ("TagKey", "environment"), ("TagValue", "production"));

        Assert.Equal("The scan of the instances tagged Environment prod started at 9:58 UTC, 30 minutes ago, and has finished. 205 checks passed and 19 failed. "
            + "web-1 failed the most checks, 12. db-1 couldn't be checked, because it isn't managed by Systems Manager. "
            + "Inspector reports 2 critical and 11 high vulnerabilities on 2 instances: web-1 and web-2. web-1 has both critical ones. "
            + "To fix them, you can say: patch them.", reply.Speech);
        Assert.Contains("CRITICAL CVE-2024-6387 in openssh-server on web-1. Fix available: YES.", reply.CardText);
        Assert.Contains("db-1 (i-0a1b2c3d4e5f64f2a): 0 critical, 0 high, 4 medium, 0 lower", reply.CardText);
        Assert.Equal(["Checking what Inspector found."], c.Driver.Progress.Spoken);
    }

    [Fact]
    public async Task Results_RememberTheVulnerableInstancesForPatchThem()
    {
        var c = WithProdFindings();

        await c.Say("ScanResultsIntent", ("TagValue", "prod"));

        var focus = c.State!["focus"]!;
        Assert.Equal($"[\"{Web1}\",\"{Web2}\"]", focus["ids"]!.ToJsonString());
        Assert.Equal("""["web-1","web-2"]""", focus["names"]!.ToJsonString());
        // The tag says where they are ("2 instances tagged Environment prod have vulnerabilities"); the ids stay what is patched.
        Assert.Equal("Environment", (string?)focus["tagKey"]);
        Assert.Equal("prod", (string?)focus["tagValue"]);
        Assert.Equal("tagged Environment prod", (string?)focus["desc"]);
        Assert.True((bool?)focus["vuln"]);
    }

    [Fact]
    public async Task Results_WithManyVulnerableInstances_RememberTheTagCountAndDigestNotTheIds()
    {
        var c = new ScanConversation();
        var ids = Enumerable.Range(1, 120).Select(i => $"i-{i:D17}").ToList();
        foreach (var id in ids) c.Inspector.Findings.Add(new InstanceFindings(id, "node-" + id[^3..], new SeverityCounts(3, 0, 3, 0)));

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"));

        var focus = c.State!["focus"]!;
        Assert.Empty(focus["ids"]!.AsArray());
        Assert.Equal(120, (int?)focus["count"]);
        Assert.Equal(SecurityAlexa.Skill.InstanceSet.Digest(ids), (string?)focus["digest"]);
        Assert.Equal("Environment", (string?)focus["tagKey"]);
        Assert.True((bool?)focus["vuln"]);
        Assert.InRange(reply.Bytes, 1, 24 * 1024 - 1);
    }

    [Fact]
    public async Task Results_AfterScanInThisConversation_LooksUpThatScanByItsConfiguration()
    {
        var c = WithProdFindings();
        await c.ScanAndConfirm(("TagValue", "prod"));
        c.Time.Advance(TimeSpan.FromMinutes(3));
        c.Inspector.AddScan(ScanConversation.Start.AddMinutes(1), CisScanState.InProgress,
            configuration: "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/1");

        var reply = await c.Say("ScanResultsIntent", ("TagKey", null), ("TagValue", null), ("InstanceName", null), ("Severity", null));

        Assert.StartsWith("The scan of the instances tagged Environment prod started at 10:29 UTC, 2 minutes ago, and is still running. Inspector reports 2 critical", reply.Speech);
        Assert.Equal("arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/1", c.Inspector.ScanQueries.Last().ConfigurationArn);
    }

    [Fact]
    public async Task Results_WhenTheScanHasNotBegun_SaysItIsPending()
    {
        var c = WithProdFindings();
        await c.ScanAndConfirm(("TagValue", "prod"));
        c.Time.Advance(TimeSpan.FromMinutes(1));

        var reply = await c.Say("ScanResultsIntent");

        Assert.StartsWith("The scan of the instances tagged Environment prod I started 1 minute ago hasn't begun yet.", reply.Speech);
    }

    [Fact]
    public async Task Results_ForATagNeverScanned_StillReportsItsVulnerabilities()
    {
        var c = new ScanConversation();
        c.Inspector.Findings.Add(new InstanceFindings("i-0c3d4e5f6a7b80004", "web-3", new SeverityCounts(2, 1, 1, 0)));
        c.Inspector.AddScan(ScanConversation.Start.AddDays(-1), CisScanState.Completed, tagValue: "staging-eu");

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "staging"));

        Assert.Equal("I haven't run a scan of the instances tagged Environment staging yet. Inspector reports 1 critical and 1 high vulnerabilities on 1 instance: web-3. "
            + "To fix them, you can say: patch them.", reply.Speech);
    }

    [Fact]
    public async Task Results_WhenNothingWasEverScannedAndNothingNamed_SaysHowToStart()
    {
        var c = new ScanConversation();

        var reply = await c.Say("ScanResultsIntent");

        Assert.Equal("I haven't found a scan I started. You can say, for example: scan the instances tagged environment prod.", reply.Speech);
        Assert.Equal(ScanNames.Prefix, c.Inspector.ScanQueries.Single().NamePrefix);
    }

    [Fact]
    public async Task Results_WithoutSlotsInAFreshSession_ReportTheSkillsLatestScan()
    {
        var c = WithProdFindings();
        c.Inspector.AddScan(ScanConversation.Start.AddHours(-5), CisScanState.Completed, failed: 9, total: 120);

        var reply = await c.Say("ScanResultsIntent");

        Assert.StartsWith("The scan of the instances tagged Environment prod started at 5:28 UTC, 5 hours ago, and has finished. 111 checks passed and 9 failed.", reply.Speech);
    }

    [Fact]
    public async Task Results_WhenAskedForOneSeverity_AnswersThat()
    {
        var c = WithProdFindings();

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"), ("Severity", "critical"));

        Assert.Contains("Inspector reports 2 critical vulnerabilities on 1 instance: web-1.", reply.Speech);
        Assert.Equal($"[\"{Web1}\"]", c.State!["focus"]!["ids"]!.ToJsonString());
    }

    [Fact]
    public async Task Results_WhenNoOpenFindings_SaysSoAndRemembersNothingToPatch()
    {
        var c = new ScanConversation();

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "dev"));

        Assert.EndsWith("Inspector reports no open vulnerabilities on the instances tagged Environment dev.", reply.Speech);
        Assert.Null(c.State?["focus"]);
    }

    [Fact]
    public async Task Results_WhenOnlyLowerSeverities_NamesThoseInstances()
    {
        var c = new ScanConversation();
        c.Inspector.Findings.Add(new InstanceFindings(Db1, "db-1", new SeverityCounts(5, 0, 0, 3)));

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"));

        Assert.Contains("Inspector reports no critical or high vulnerabilities. There are 3 medium and 2 lower ones on 1 instance: db-1.", reply.Speech);
    }

    [Fact]
    public async Task Results_DoNotTakeAScanOfAnotherValueWithTheSamePrefix()
    {
        var c = new ScanConversation();
        c.Inspector.AddScan(ScanConversation.Start.AddHours(-1), CisScanState.Completed, tagValue: "prod-eu");

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"));

        Assert.StartsWith("I haven't run a scan of the instances tagged Environment prod yet.", reply.Speech);
    }

    [Fact]
    public async Task Results_WhenTheNameMatchesNothing_AsksAgainAndCallsNoInspector()
    {
        var c = new ScanConversation();

        var reply = await c.Say("ScanResultsIntent", ("InstanceName", "mail server"));

        Assert.StartsWith("I found no instance called mail server.", reply.Speech);
        Assert.Empty(c.Inspector.ScanQueries);
    }

    [Theory]
    [InlineData(2, 1, "web-1 has the most, with 2 critical.")]
    [InlineData(0, 0, "web-2 has the most, with 6 high.")]
    public async Task Results_WhenSeveralInstancesShareTheWorst_SaysWhichHasTheMost(int web1Critical, int web2Critical, string expected)
    {
        var c = new ScanConversation();
        c.Inspector.Findings.Add(new InstanceFindings(Web1, "web-1", new SeverityCounts(5, web1Critical, 3, 0)));
        c.Inspector.Findings.Add(new InstanceFindings(Web2, "web-2", new SeverityCounts(7, web2Critical, 6, 0)));

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"));

        Assert.Contains(expected, reply.Speech);
    }

    private static ScanConversation WithManyVulnerable(int count)
    {
        var c = new ScanConversation();
        for (var i = 0; i < count; i++)
            c.Inspector.Findings.Add(new InstanceFindings($"i-{i:D17}", $"node-{i:D3}", new SeverityCounts(10, i == 7 ? 9 : 1, 2, 3)));
        return c;
    }

    [Fact]
    public async Task Results_WhenMoreInstancesThanItReads_SaysAtLeastAndNamesTheWorstWithoutClaimingTotals()
    {
        var c = WithManyVulnerable(ScanResultsHandler.MaxInstanceRows + 50);

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"));

        Assert.Contains("so these are lower bounds. Inspector reports at least 208 critical and 400 high vulnerabilities, on at least 200 instances. "
            + "The worst are node-007,", reply.Speech);
        Assert.Contains("node-007 has the most, with 9 critical.", reply.Speech);
        Assert.Contains(("findings", ScanResultsHandler.MaxInstanceRows, "CRITICAL"), c.Inspector.BoundedReads);
        var focus = c.State!["focus"]!;
        Assert.Empty(focus["ids"]!.AsArray());
        Assert.Equal(200, (int?)focus["count"]);
        Assert.Equal(5, focus["names"]!.AsArray().Count);
    }

    [Fact]
    public async Task Results_ForHighSeverityOnAManyInstanceTag_ReadsTheInstancesWithTheMostHighFirst()
    {
        var c = WithManyVulnerable(ScanResultsHandler.MaxInstanceRows + 1);

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"), ("Severity", "high"));

        Assert.Contains(("findings", ScanResultsHandler.MaxInstanceRows, "HIGH"), c.Inspector.BoundedReads);
        Assert.Contains("Inspector reports at least 400 high vulnerabilities, on at least 200 instances.", reply.Speech);
    }

    [Fact]
    public async Task Results_WhenTheCisResultsAreTruncated_GiveTheScansOwnTotalsAndTheWorstInstance()
    {
        var c = WithProdFindings();
        c.Inspector.AddScan(ScanConversation.Start.AddMinutes(-30), CisScanState.Completed, failed: 900, total: 10_000);
        for (var i = 0; i < ScanResultsHandler.MaxCisRows + 20; i++)
            c.Inspector.Results.Add(new CisInstanceResult(i == 3 ? Web1 : $"i-{i:D17}", 100, i == 3 ? 40 : 5, 0, "COMPLETED", null));

        var reply = await c.Say("ScanResultsIntent", ("TagValue", "prod"));

        Assert.Contains("has finished. 9100 checks passed and 900 failed. web-1 failed the most checks, 40.", reply.Speech);
        Assert.Contains(("cis", ScanResultsHandler.MaxCisRows, null), c.Inspector.BoundedReads);
    }
}
