using System.Globalization;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Targets;

/// <summary>
/// Issue 13 §8: target resolution reads a bounded number of pages per turn. Beyond the bound nothing is acted on,
/// and the answer says "at least" and asks to narrow.
/// </summary>
public sealed class TargetPageBoundTests
{
    private static string IdOf(int n) => "i-" + n.ToString("x17", CultureInfo.InvariantCulture);

    private static Ec2Fleet Prod(int count, int tagPageSize = 1000, int instancePageSize = 10)
    {
        var fleet = new Ec2Fleet(tagPageSize, instancePageSize);
        for (var i = 1; i <= count; i++) fleet.Add(IdOf(i), "web-" + i.ToString(CultureInfo.InvariantCulture), "running", "Environment=prod");
        return fleet;
    }

    private static TargetResolver Over(Ec2Fleet fleet) =>
        new(new Ec2InstanceDirectory(fleet.Client), new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 21, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task ResolveAsync_WhenTheTagNeedsMorePagesThanTheBound_ReadsOnlyTheBoundAndSaysAtLeast()
    {
        var fleet = Prod(120);

        var result = await Over(fleet).ResolveAsync(new TargetQuery { TagKey = "environment", TagValue = "prod" }, CancellationToken.None);

        var tooMany = Assert.IsType<TargetResult.NotFound>(result);
        Assert.Equal(NotFoundKind.TooManyToRead, tooMany.Kind);
        Assert.Equal(100, tooMany.AtLeast);
        Assert.Equal(TargetResolver.DefaultMaxInstancePages, fleet.InstanceRequests.Count);
    }

    [Fact]
    public async Task ResolveAsync_WithinTheBound_ReadsEveryPage()
    {
        var fleet = Prod(95);

        var result = await Over(fleet).ResolveAsync(new TargetQuery { TagKey = "environment", TagValue = "prod" }, CancellationToken.None);

        Assert.Equal(95, Assert.IsType<TargetResult.Found>(result).Selection.Instances.Count);
        Assert.Equal(10, fleet.InstanceRequests.Count);
    }

    [Fact]
    public async Task ResolveAsync_WhenTheTagListIsLongerThanTheBound_SaysSoInsteadOfDenyingTheTagExists()
    {
        // 2 tags per instance, 1 tag a page: the Owner tag of the 30th instance is far past 40 pages.
        var fleet = Prod(30, tagPageSize: 1);
        fleet.Tag(IdOf(30), "Owner", "alice");
        var resolver = Over(fleet);

        var result = await resolver.ResolveAsync(new TargetQuery { TagKey = "owner", TagValue = "alice" }, CancellationToken.None);

        Assert.Equal(NotFoundKind.TooManyToRead, Assert.IsType<TargetResult.NotFound>(result).Kind);
        Assert.Equal(TargetResolver.DefaultMaxTagPages, fleet.TagRequests.Count);
    }

    [Fact]
    public async Task Patch_WhenTheTagSelectsMoreThanOneTurnReads_AsksToNarrowAndSendsNothing()
    {
        var fleet = Prod(120);
        var ssm = new SsmPatchFake().Online([.. Enumerable.Range(1, 120).Select(IdOf)]);
        var h = new PatchHarness(fleet, ssm);

        var reply = await h.Driver.SayAsync(PatchHarness.Patch("environment", "prod"));

        Assert.Equal("Environment prod covers at least 100 instances, more than I can read in one go, so I haven't done anything. " +
            "Please narrow it down: name an instance, or a tag that picks fewer.", reply.Speech);
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(TargetResolver.DefaultMaxInstancePages, fleet.InstanceRequests.Count);
    }
}
