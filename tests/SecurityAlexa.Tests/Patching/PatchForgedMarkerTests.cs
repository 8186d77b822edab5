using System.Globalization;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// Issue 13 §3: anyone who may tag can add the IsolatedAt marker. Only the state table's isolation record exempts an instance
/// from patching or blocks its tag group; a marker with no record is patched like any other, and the read-back says so.
/// </summary>
public sealed class PatchForgedMarkerTests
{
    private const string Forged = "2026-11-29T09:00:00Z";

    private static string IdOf(int n) => "i-" + n.ToString("x17", CultureInfo.InvariantCulture);

    private static void VerifyNothingSent(PatchHarness h) =>
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);

    private static PatchHarness Prod(Action<PatchHarness>? arrange = null)
    {
        var fleet = new Ec2Fleet()
            .Add(Web1, "web-1", "running", "Environment=prod")
            .Add(Web2, "web-2", "running", "Environment=prod", SkillTags.IsolatedAt + "=" + Forged)
            .Add(Db1, "db-1", "running", "Environment=prod");
        var h = new PatchHarness(fleet);
        arrange?.Invoke(h);
        return h;
    }

    private static PatchHarness Large(int count)
    {
        var fleet = new Ec2Fleet();
        for (var i = 1; i <= count; i++)
            fleet.Add(IdOf(i), "web-" + i.ToString(CultureInfo.InvariantCulture), "running", "Environment=prod", "Patch Group=prod-linux");
        var ids = Enumerable.Range(1, count).Select(IdOf).ToList();
        var ssm = new SsmPatchFake().Online([.. ids]).Group("prod-linux", "pb-0prod", "prod-linux");
        ssm.Tagged = (key, values) => key == "Environment" && values.Contains("prod") ? ids : [];
        return new PatchHarness(fleet, ssm);
    }

    [Fact]
    public async Task Patch_WhenAMarkerHasNoRecord_PatchesTheInstanceAndSaysTheTagIsNotTheSkills()
    {
        var h = Prod();

        var choose = await h.Driver.SayAsync(Patch("environment", "prod"));
        var readBack = await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        const string said = "web-2 has the isolation tag, but I have no record of isolating it, so it is patched like any other instance.";
        Assert.Contains(said, choose.Speech);
        Assert.Contains(said, readBack.Speech);
        Assert.DoesNotContain("isolated by this skill", choose.Speech + readBack.Speech, StringComparison.Ordinal);
        var sent = Assert.Single(h.Ssm.Sent);
        // Sent by id (never by tag on the small path), and web-2 is among the ids.
        Assert.Null(sent.Targets);
        Assert.Contains(Web2, sent.InstanceIds);
        Assert.Contains(h.Ssm.InformationRequests, r => r.Filters.Single().Values.Contains(Web2));
    }

    [Fact]
    public async Task Patch_WhenTheMarkerHasARecord_StillSkipsTheInstance()
    {
        var h = Prod(h => h.Isolated(Web2));

        var choose = await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.Contains("Not patching web-2: it's isolated by this skill.", choose.Speech);
        Assert.DoesNotContain("no record", choose.Speech, StringComparison.Ordinal);
        Assert.Equal([Db1, Web1], Assert.Single(h.Ssm.Sent).InstanceIds);
    }

    [Fact]
    public async Task Patch_WhenAnIsolatedInstanceHasLostItsTag_StillSkipsItAsIsolated()
    {
        var h = new PatchHarness(new Ec2Fleet()
            .Add(Web1, "web-1", "running", "Environment=prod")
            .Add(Web2, "web-2", "running", "Environment=prod")
            .Add(Db1, "db-1", "running", "Environment=prod"));
        h.Isolated(Web2, tagged: false);

        var choose = await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.Contains("Not patching web-2: it's isolated by this skill.", choose.Speech);
        Assert.Equal([Db1, Web1], Assert.Single(h.Ssm.Sent).InstanceIds);
    }

    [Fact]
    public async Task PatchOne_WhenItWasIsolatedWithoutTheTagAfterTheReadBack_SendsNothing()
    {
        var h = new PatchHarness(new Ec2Fleet().Add(Web2, "web-2", "running", "Environment=prod"));
        var readBack = await h.Driver.SayAsync(Patch(name: "web-2"));
        h.Isolated(Web2, tagged: false);

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web-2"));

        Assert.EndsWith("Shall I go ahead?", readBack.Speech);
        Assert.Contains("Not patching web-2: it's isolated by this skill.", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task PatchOne_WhenItsOnlyMarkerIsForged_ReadsItBackAndPatchesIt()
    {
        var h = Prod();

        var readBack = await h.Driver.SayAsync(Patch(name: "web-2"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web-2"));

        Assert.StartsWith("web-2 has the isolation tag, but I have no record of isolating it", readBack.Speech);
        Assert.Equal([Web2], Assert.Single(h.Ssm.Sent).InstanceIds);
    }

    [Fact]
    public async Task PatchAllByTag_WhenAForgedMarkerIsInTheGroup_IsNotBlockedAndSaysSo()
    {
        var h = Large(300);
        h.Fleet.Tag(IdOf(7), SkillTags.IsolatedAt, Forged);

        var which = await h.Driver.SayAsync(Patch("environment", "prod"));
        var readBack = await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        var sent = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        const string said = "web-7 has the isolation tag, but I have no record of isolating it, so it is patched like any other instance.";
        Assert.Contains("That's 300 instances tagged Environment prod", which.Speech);
        Assert.Contains(said, which.Speech);
        Assert.Contains(said, readBack.Speech);
        Assert.StartsWith("I've sent one Systems Manager command to patch the 300 instances tagged Environment prod.", sent.Speech);
        Assert.Equal("tag:Environment", Assert.Single(Assert.Single(h.Ssm.Sent).Targets).Key);
    }

    [Fact]
    public async Task PatchAllByTag_WhenARecordedIsolationIsInTheGroup_StillRefuses()
    {
        var h = Large(300);
        h.Isolated(IdOf(7));

        var which = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.StartsWith("1 instance of the 300 instances tagged Environment prod is isolated by this skill: web-7.", which.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task PatchAllByTag_WhenAForgedMarkerAppearsBetweenReadBackAndYes_StillSends()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Fleet.Tag(IdOf(7), SkillTags.IsolatedAt, Forged);

        var reply = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("I've sent one Systems Manager command to patch the 300 instances tagged Environment prod.", reply.Speech);
        Assert.Single(h.Ssm.Sent);
    }

    [Fact]
    public async Task DryRun_WhenAMarkerHasNoRecord_CountsItAsPatchedAndSaysSo()
    {
        var h = Prod();

        var reply = await h.Driver.SayAsync(AlexaRequests.Intent("PatchDryRunIntent", ("TagKey", "environment"), ("TagValue", "prod"),
            ("InstanceName", null), ("Scope", null)));

        Assert.Contains("web-2 has the isolation tag, but I have no record of isolating it", reply.Speech);
        Assert.DoesNotContain("isolated by this skill", reply.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchYes_WhenTheRecordsCannotBeRead_SendsNothing_AndKeepsTheReadBackSoTheYesCanBeSaidAgain()
    {
        var h = Prod();
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.TableFails = true;

        var failed = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));
        h.TableFails = false;
        var again = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("AWS is limiting how fast I can call it right now. Please try again in a minute. I couldn't read my isolation "
            + "records, so I haven't sent the patch command for 3 instances, and nothing has changed.", failed.Speech);
        Assert.False(failed.EndsSession);
        Assert.Contains("Dialog.ConfirmIntent", failed.DirectiveTypes);
        Assert.StartsWith("Patching has started on 3 instances", again.Speech, StringComparison.Ordinal);
        Assert.Single(h.Ssm.Sent);
    }

    [Fact]
    public async Task Patch_WhenTheRecordsCannotBeRead_SendsNothingAndSaysWhichCallFailed()
    {
        var h = Prod();
        h.TableFails = true;

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        VerifyNothingSent(h);
        Assert.DoesNotContain("Dialog.ConfirmIntent", reply.DirectiveTypes);
        Assert.DoesNotContain("Dialog.ElicitSlot", reply.DirectiveTypes);
        Assert.DoesNotContain("patched like any other", reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("Which ones", reply.Speech, StringComparison.Ordinal);
    }
}
