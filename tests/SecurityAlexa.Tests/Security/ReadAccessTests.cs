using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Scanning;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Scanning;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

/// <summary>
/// Issue 13 §6, READ_ACCESS: with <c>speakers</c> only allowed voices hear instance names, CVE ids and isolation
/// reasons; other voices on the allowed account get counts only. With <c>accounts</c> (the default) everyone does.
/// </summary>
public sealed class ReadAccessTests
{
    private const string Stranger = "amzn1.ask.person.VISITOR";
    private static readonly Dictionary<string, string> SpeakersOnly = new() { ["READ_ACCESS"] = "speakers" };

    private static void AssertNamesNothing(AlexaReply reply, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, reply.Speech, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, reply.CardText, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, reply.Json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(Stranger)]
    [InlineData(null)]
    public async Task IsolationStatus_WithSpeakersOnly_AnotherVoiceHearsTheCountButNotWhichOrWhy(string? voice)
    {
        using var h = new HostileHarness(SpeakersOnly);

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolationStatusIntent").Speaker(voice));

        Assert.Equal("One instance is isolated. Only voices allowed to make changes hear which one and why. Anything else?", reply.Speech);
        AssertNamesNothing(reply, "web-2", HostileHarness.IdOf("web-2"), "suspicious");
    }

    [Fact]
    public async Task IsolationStatus_WithSpeakersOnly_AnAllowedVoiceHearsWhichAndTheCardSaysWhy()
    {
        using var h = new HostileHarness(SpeakersOnly);

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolationStatusIntent"));

        Assert.StartsWith("One instance is isolated: web-2, since ", reply.Speech);
        Assert.DoesNotContain("suspicious", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("Reason: suspicious outbound traffic", reply.CardText);
    }

    [Fact]
    public async Task IsolationStatus_WithAccountsByDefault_AnyVoiceOnTheAccountHearsWhich()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolationStatusIntent").Speaker(Stranger));

        Assert.StartsWith("One instance is isolated: web-2", reply.Speech);
    }

    private static (SkillDriver Driver, FakeInspector Inspector) ScanResults(Dictionary<string, string>? env)
    {
        var fleet = Ec2Fleet.Standard();
        var time = new FakeTimeProvider(ScanConversation.Start);
        var directory = new Ec2InstanceDirectory(fleet.Client);
        var inspector = new FakeInspector();
        inspector.Findings.Add(new InstanceFindings("i-0a1b2c3d4e5f60001", "web-1", new SeverityCounts(10, 2, 5, 3)));
        inspector.Findings.Add(new InstanceFindings("i-0a1b2c3d4e5f60002", "web-2", new SeverityCounts(6, 0, 6, 0)));
        inspector.Top.Add(new FindingDetail("i-0a1b2c3d4e5f60001", "CRITICAL", "CVE-2024-6387 - openssh", "CVE-2024-6387", "openssh-server", "YES"));
        var driver = new SkillDriver(new SkillServices { Instances = directory, Targets = new TargetResolver(directory, time), Scanner = inspector },
            time: time, environment: env);
        return (driver, inspector);
    }

    [Fact]
    public async Task ScanResults_WithSpeakersOnly_AnotherVoiceGetsSeverityTotalsWithNoNamesOrCveIds()
    {
        var (driver, _) = ScanResults(SpeakersOnly);

        var reply = await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent", ("TagKey", "environment"), ("TagValue", "production")).Speaker(Stranger));

        Assert.Equal("Inspector reports 2 critical, 11 high and 3 other vulnerabilities on 2 instances. "
            + "Only voices allowed to make changes hear which instances and which vulnerabilities.", reply.Speech);
        AssertNamesNothing(reply, "web-1", "web-2", "i-0a1b2c3d4e5f6000", "CVE-", "openssh");
        Assert.Null(driver.Attributes?["focus"]);
    }

    [Fact]
    public async Task ScanResults_WithSpeakersOnly_AnAllowedVoiceHearsNamesAndTheCardHasTheCveIds()
    {
        var (driver, _) = ScanResults(SpeakersOnly);

        var reply = await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent", ("TagKey", "environment"), ("TagValue", "production")));

        Assert.Contains("on 2 instances: web-1 and web-2", reply.Speech);
        Assert.Contains("CVE-2024-6387", reply.CardText);
    }

    [Fact]
    public void From_AnUnknownReadAccess_IsTheStricterSpeakers()
    {
        var typo = SecurityAlexa.Security.SecuritySettings.From(SecurityAlexa.Skill.SkillConfig.FromEnvironment(new Dictionary<string, string> { ["READ_ACCESS"] = "acounts" }));
        var unset = SecurityAlexa.Security.SecuritySettings.From(SecurityAlexa.Skill.SkillConfig.FromEnvironment(new Dictionary<string, string>()));

        Assert.Equal(SecurityAlexa.Security.ReadAccess.Speakers, typo.ReadAccess);
        Assert.Equal(SecurityAlexa.Security.ReadAccess.Accounts, unset.ReadAccess);
    }
}
