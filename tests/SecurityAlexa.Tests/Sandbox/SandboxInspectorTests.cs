using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Local;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Sandbox;

public sealed class SandboxInspectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 28, 0, TimeSpan.Zero);

    private static (SkillDriver Driver, SandboxAccount Account, FakeTimeProvider Time) Sandbox()
    {
        var time = new FakeTimeProvider(Start);
        var account = SandboxAccount.CreateDefault(time);
        return (new SkillDriver(account.Services(), time: account.Clock), account, time);
    }

    [Fact]
    public async Task FreshSandbox_WhatDidTheScanFind_ReportsTheSeededFinishedScan()
    {
        var (driver, _, _) = Sandbox();

        var reply = await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent"));

        Assert.StartsWith("The scan of the instances tagged Environment prod started at 9:51 UTC, 25 hours ago, and has finished.", reply.Speech);
        Assert.Contains("Inspector reports 2 critical and 11 high vulnerabilities on 3 instances: web-1, web-2 and db-1. web-1 has both critical ones.", reply.Speech);
    }

    [Fact]
    public async Task SandboxScan_RunsForEightMinutesBySandboxTime()
    {
        var (driver, _, time) = Sandbox();

        await driver.SayAsync(AlexaRequests.Intent("ScanIntent", ("TagValue", "staging")));
        var started = await driver.SayAsync(AlexaRequests.Intent("ScanIntent", ("TagValue", "staging")).Confirmation("CONFIRMED"));
        time.Advance(TimeSpan.FromMinutes(7));
        var running = await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent"));
        time.Advance(TimeSpan.FromMinutes(2));
        var finished = await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent"));

        Assert.Equal("Scanning 2 instances tagged Environment staging. 1 of 2 are covered by continuous vulnerability scanning, last scanned 2 hours ago. "
            + "api-1 isn't covered, because its SSM agent isn't reporting. Ask me what the scan found in a few minutes.", started.Speech);
        Assert.StartsWith("The scan of the instances tagged Environment staging started at 10:28 UTC, 7 minutes ago, and is still running.", running.Speech);
        Assert.StartsWith("The scan of the instances tagged Environment staging started at 10:28 UTC, 9 minutes ago, and has finished.", finished.Speech);
        Assert.Contains("api-1 couldn't be checked, because it isn't managed by Systems Manager.", finished.Speech);
    }

    [Fact]
    public async Task SandboxWithScanningOff_TurnsItOnAfterAYes()
    {
        var (driver, account, _) = Sandbox();
        // The account as it is before anyone turned EC2 scanning on.
        account.World.Locked(w => w.InspectorScansEc2 = false);

        var asked = await driver.SayAsync(AlexaRequests.Intent("EnableScanningIntent"));
        var done = await driver.SayAsync(AlexaRequests.Intent("EnableScanningIntent").Confirmation("CONFIRMED"));
        var again = await driver.SayAsync(AlexaRequests.Intent("EnableScanningIntent"));

        Assert.StartsWith("I'll turn on Amazon Inspector vulnerability scanning for the EC2 instances in this account.", asked.Speech);
        Assert.StartsWith("Done.", done.Speech);
        Assert.Equal("EC2 vulnerability scanning is already on in this account.", again.Speech);
    }

    [Theory]
    [InlineData("scan-prod.json", "I'll start an Inspector scan of the 3 instances tagged Environment prod: db-1, web-1 and web-2. Shall I?")]
    [InlineData("scan-results.json", "The scan of the instances tagged Environment prod started at ")]
    [InlineData("enable-scanning.json", "EC2 vulnerability scanning is already on in this account.")]
    public async Task LocalRunner_InvokeSampleEventInSandbox_SpeaksASensibleAnswer(string file, string expectedStart)
    {
        var path = Path.Combine(RepoRoot(), "events", file);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await LocalRunner.RunAsync(["invoke", path, "--sandbox"], TextReader.Null, stdout, stderr, CancellationToken.None);

        Assert.Equal(0, code);
        var reply = new AlexaReply(stdout.ToString());
        Assert.StartsWith(expectedStart, reply.Speech);
    }

    [Fact]
    public async Task LocalRunner_InvokeScanConfirmedWithTheSampleKey_StartsTheScanReadBackInScanProd()
    {
        // The key the sample scan-confirmed.json was signed with (as for isolate-confirmed.json); never a real key.
        var env = new Dictionary<string, string> { ["SESSION_SIGNING_KEY"] = "c2FtcGxlLW9ubHktc2Vzc2lvbi1zaWduaW5nLWtleS0hIQ==" };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await LocalRunner.RunAsync(["invoke", Path.Combine(RepoRoot(), "events", "scan-confirmed.json"), "--sandbox"], TextReader.Null, stdout, stderr, env, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.StartsWith("Scanning 3 instances tagged Environment prod.", new AlexaReply(stdout.ToString()).Speech);
        Assert.Contains("scan.started", stderr.ToString());
    }

    [Fact]
    public async Task LocalRunner_InvokeScanConfirmedWithoutTheKey_OnlyReadsBack()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        await LocalRunner.RunAsync(["invoke", Path.Combine(RepoRoot(), "events", "scan-confirmed.json"), "--sandbox"], TextReader.Null, stdout, stderr,
            new Dictionary<string, string>(), CancellationToken.None);

        var speech = new AlexaReply(stdout.ToString()).Speech;
        Assert.DoesNotContain("Scanning", speech);
        Assert.DoesNotContain("scan.started", stderr.ToString());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SecurityAlexa.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SecurityAlexa.sln not found above " + AppContext.BaseDirectory);
    }
}
