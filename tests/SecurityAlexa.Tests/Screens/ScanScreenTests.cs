using System.Text.RegularExpressions;
using SecurityAlexa.Scanning;
using SecurityAlexa.Tests.Scanning;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Screens;

/// <summary>The scan results screen: drawn only for a screen, and showing the same figures and instances as the speech.</summary>
public sealed partial class ScanScreenTests
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string Web2 = "i-0a1b2c3d4e5f60002";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";

    private static ScanConversation WithProdFindings()
    {
        var c = new ScanConversation();
        c.Inspector.Findings.Add(new InstanceFindings(Db1, "db-1", new SeverityCounts(4, 0, 0, 4)));
        c.Inspector.Findings.Add(new InstanceFindings(Web2, "web-2", new SeverityCounts(6, 0, 6, 0)));
        c.Inspector.Findings.Add(new InstanceFindings(Web1, "web-1", new SeverityCounts(10, 2, 5, 3)));
        c.Inspector.AddScan(ScanConversation.Start.AddMinutes(-30), CisScanState.Completed, failed: 19, total: 224);
        return c;
    }

    private static AlexaRequests WhatDidItFind() => AlexaRequests.Intent("ScanResultsIntent", ("TagKey", "environment"), ("TagValue", "production"));

    [Fact]
    public async Task Results_WithoutAScreen_SendNoDirectiveButTheSameSpeech()
    {
        var withScreen = await WithProdFindings().Driver.SayAsync(WhatDidItFind().WithApl());
        var without = await WithProdFindings().Driver.SayAsync(WhatDidItFind());

        Assert.Null(without.AssertWellFormed().Screen());
        Assert.DoesNotContain("Alexa.Presentation.APL.RenderDocument", without.DirectiveTypes);
        Assert.NotNull(withScreen.AssertWellFormed().Screen());
        Assert.Equal(without.Speech, withScreen.Speech);
        Assert.Equal(without.CardText, withScreen.CardText);
    }

    [Fact]
    public async Task Results_OnAScreen_ShowTheSpokenCountsAsBarsAndTheSpokenInstancesFirst()
    {
        var reply = await WithProdFindings().Driver.SayAsync(WhatDidItFind().WithApl());
        var data = reply.ScreenData();

        Assert.Equal("scanResults", (string?)reply.Screen()!["token"]);
        var spoken = SeverityTotals().Match(reply.Speech);
        Assert.True(spoken.Success, reply.Speech);
        Assert.Equal(long.Parse(spoken.Groups["critical"].Value), data.Bar("Critical"));
        Assert.Equal(long.Parse(spoken.Groups["high"].Value), data.Bar("High"));
        Assert.Equal(7, data.Bar("Medium"));
        Assert.Equal(0, data.Bar("Low"));
        // The instances the speech names as vulnerable come first, in the order it names them.
        var named = spoken.Groups["names"].Value.Split([", ", " and "], StringSplitOptions.None);
        Assert.Equal(named, data.ItemTitles().Take(named.Length));
        Assert.Equal([Web1, Web2, Db1], data.ItemIds());
        Assert.Equal("2 critical, 5 high, 3 medium, 0 low", (string?)data["items"]![0]!["detail"]);
        Assert.Equal("Critical", (string?)data["items"]![0]!["badge"]);
        Assert.Equal("Medium", (string?)data["items"]![2]!["badge"]);
        Assert.Equal("Inspector reports 2 critical and 11 high vulnerabilities on 2 instances: web-1 and web-2. web-1 has both critical ones.", (string?)data["summary"]);
        Assert.StartsWith("SecurityAlexa-Environment-prod-", (string?)data["subtitle"]);
    }

    [Fact]
    public async Task Results_WhenOnlyTheWorstRowsWereRead_ShowTheFiguresAsLowerBounds()
    {
        var c = new ScanConversation();
        for (var i = 1; i <= 230; i++) c.Inspector.Findings.Add(new InstanceFindings($"i-{i:D17}", $"node-{i}", new SeverityCounts(1, 0, 1, 0)));

        var reply = await c.Driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent", ("TagValue", "prod")).WithApl());
        var data = reply.AssertWellFormed().ScreenData();

        Assert.Contains("at least", reply.Speech);
        Assert.StartsWith("at least ", (string?)data["bars"]![1]!["text"]);
        Assert.Equal(25, data["items"]!.AsArray().Count);
        Assert.Equal($"and {data.Bar("High") - 25} more", (string?)data["more"]);
    }

    [GeneratedRegex(@"reports (?<critical>\d+) critical and (?<high>\d+) high vulnerabilities on \d+ instances: (?<names>[^.]+)\.")]
    private static partial Regex SeverityTotals();
}
