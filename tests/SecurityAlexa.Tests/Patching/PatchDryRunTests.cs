using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>PatchDryRunIntent: targets, skipped instances and baselines, with nothing sent.</summary>
public sealed class PatchDryRunTests
{
    private static AlexaRequests DryRun(string? key = null, string? value = null) =>
        AlexaRequests.Intent("PatchDryRunIntent", ("TagKey", key), ("TagValue", value), ("InstanceName", null), ("Scope", null));

    [Fact]
    public async Task DryRun_SpeaksTargetsBaselinesAndSkippedAndSendsNothing()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(DryRun("environment", "staging"));

        Assert.Equal(
            "I'd patch 1 instance: web-3, rebooting if needed. web-3 uses the staging-linux baseline. " +
            "Not patching api-1: its SSM agent isn't responding. This was a dry run: nothing was sent. Say patch them to go ahead.",
            reply.Speech);
        Assert.Contains("staging-linux (pb-0staging): web-3", reply.CardText);
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Null(reply.Directive("Dialog.ConfirmIntent"));
    }

    [Fact]
    public async Task DryRun_WhenSeveralBaselinesApply_NamesEachWithItsInstances()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(DryRun("environment", "prod"));

        Assert.Contains("db-1 uses the default baseline for Amazon Linux. web-1 and web-2 use the prod-linux baseline.", reply.Speech);
        Assert.Contains("Default baseline for Amazon Linux (pb-0default2023): db-1", reply.CardText);
        Assert.Empty(h.Ssm.Sent);
    }

    [Fact]
    public async Task DryRun_ThenPatchThem_OffersTheInstancesTheDryRunDescribed()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(DryRun("environment", "prod"));

        var reply = await h.Driver.SayAsync(Patch());

        Assert.Equal("That's 3 instances tagged Environment prod: db-1, web-1 and web-2. Which ones should I patch?", reply.Speech);
        Assert.Empty(h.Ssm.Sent);
    }

    [Fact]
    public async Task DryRun_WhenAboveTheCap_SaysTheNumberWouldHaveToBeSaidBack()
    {
        var fleet = new Ec2Fleet();
        var ssm = new SsmPatchFake();
        for (var i = 0; i < 51; i++)
        {
            fleet.Add($"i-{i:D17}", $"node-{i:D3}", "running", "Fleet=big");
            ssm.Online($"i-{i:D17}");
        }
        var h = new PatchHarness(fleet, ssm);

        var reply = await h.Driver.SayAsync(DryRun("fleet", "big"));

        Assert.Contains("That's more than my limit of 50 instances at once, so you'd have to say the number back.", reply.Speech);
        Assert.Empty(h.Ssm.Sent);
    }
}
