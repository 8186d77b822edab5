using System.Globalization;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>Issue 13 §2: an instance tagged SecurityAlexa:Protected is never patched, and the read-back says so.</summary>
public sealed class PatchProtectedTests
{
    private static void VerifyNothingSent(PatchHarness h) =>
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);

    private static string IdOf(int n) => "i-" + n.ToString("x17", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Patch_WhenAnInstanceIsProtected_LeavesItOutAndNamesItInTheQuestionAndOnTheCard()
    {
        var fleet = new Ec2Fleet()
            .Add(Web1, "web-1", "running", "Environment=prod")
            .Add(Web2, "web-2", "running", "Environment=prod", SkillTags.Protected + "=yes")
            .Add(Db1, "db-1", "running", "Environment=prod");
        var h = new PatchHarness(fleet);

        var choose = await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.Contains("Not patching web-2: it's tagged SecurityAlexa Protected, so I never change it.", choose.Speech);
        Assert.Contains("web-2 (Protected)", choose.CardText);
        // Sent by id, never to the whole tag, which would reach web-2.
        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Null(sent.Targets);
        Assert.Equal([Db1, Web1], sent.InstanceIds);
        Assert.DoesNotContain(h.Ssm.InformationRequests, r => r.Filters.Single().Values.Contains(Web2));
    }

    [Fact]
    public async Task Patch_WhenOneOfTwoIsProtected_TheReadBackNamesItAndTheYesSendsOnlyTheOther()
    {
        var fleet = new Ec2Fleet()
            .Add(Web1, "web-1", "running", "Environment=prod", SkillTags.Protected + "=yes")
            .Add(Db1, "db-1", "running", "Environment=prod");
        var h = new PatchHarness(fleet);

        var readBack = await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod"));

        Assert.Equal("Not patching web-1: it's tagged SecurityAlexa Protected, so I never change it. " +
            "Patching 1 instance, db-1, with its patch baseline, rebooting if needed. Shall I go ahead?", readBack.Speech);
        Assert.Contains("web-1 (Protected)", readBack.CardText);
        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Null(sent.Targets);
        Assert.Equal([Db1], sent.InstanceIds);
    }

    [Fact]
    public async Task Patch_WhenTheOnlyInstanceIsProtected_SendsNothing()
    {
        var fleet = new Ec2Fleet().Add(Web1, "web-1", "running", "Environment=prod", SkillTags.Protected + "=true");
        var h = new PatchHarness(fleet);

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.StartsWith("Not patching web-1: it's tagged SecurityAlexa Protected", reply.Speech);
        VerifyNothingSent(h);
    }

    private static PatchHarness Large(int count, int protectedCount)
    {
        var fleet = new Ec2Fleet();
        for (var i = 1; i <= count; i++)
        {
            var tags = new List<string> { "Environment=prod", "Patch Group=prod-linux" };
            if (i <= protectedCount) tags.Add(SkillTags.Protected + "=yes");
            fleet.Add(IdOf(i), "web-" + i.ToString(CultureInfo.InvariantCulture), "running", [.. tags]);
        }
        var ids = Enumerable.Range(1, count).Select(IdOf).ToList();
        var ssm = new SsmPatchFake().Online([.. ids]).Group("prod-linux", "pb-0prod", "prod-linux");
        ssm.Tagged = (key, values) => key == "Environment" && values.Contains("prod") ? ids : [];
        return new PatchHarness(fleet, ssm);
    }

    [Fact]
    public async Task PatchAllByTag_WhenTheGroupHasAProtectedInstance_RefusesTheTagWidePatch()
    {
        var h = Large(300, protectedCount: 1);

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.StartsWith("1 instance of the 300 instances tagged Environment prod is tagged SecurityAlexa Protected: web-1.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Equal("refused-protected-in-tag", Outcome(h.Audits.Last()));
    }

    [Fact]
    public async Task PatchAllByTag_WhenAnInstanceIsProtectedBetweenReadBackAndYes_RefusesAndSendsNothing()
    {
        var h = Large(300, protectedCount: 0);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Fleet.Tag(IdOf(7), SkillTags.Protected, "yes");

        var reply = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("1 instance of the 300 instances tagged Environment prod is tagged SecurityAlexa Protected: web-7.", reply.Speech);
        VerifyNothingSent(h);
    }
}
