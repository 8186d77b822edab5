using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Moq;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Targets;

public sealed class TargetResolverTests
{
    private static readonly Lang Lang = SpeechCatalog.LoadEmbedded().For("en-US");

    private static (TargetResolver Resolver, FakeTimeProvider Time) Over(Ec2Fleet fleet)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        return (new TargetResolver(new Ec2InstanceDirectory(fleet.Client), time), time);
    }

    private static async Task<TargetResult> Resolve(Ec2Fleet fleet, string? key = null, string? value = null, string? name = null, bool stopped = false) =>
        await Over(fleet).Resolver.ResolveAsync(new TargetQuery { TagKey = key, TagValue = value, Name = name, IncludeStopped = stopped }, CancellationToken.None);

    private static List<string> Names(TargetResult result) =>
        Assert.IsType<TargetResult.Found>(result).Selection.Instances.Select(i => i.DisplayName).ToList();

    [Theory]
    [InlineData("environment", "PROD")]
    [InlineData("Environment", "production")]
    [InlineData("environments", "prod")]
    [InlineData("env", "Production")]
    public async Task ResolveAsync_WhenKeyAndValueAreSpokenLoosely_FindsTheRunningProdInstances(string key, string value)
    {
        var result = await Resolve(Ec2Fleet.Standard(), key, value);

        Assert.Equal(["db-1", "web-1", "web-2"], Names(result));
        var tag = ((TargetResult.Found)result).Selection.Tag!;
        Assert.Equal(("Environment", "prod"), (tag.Key, tag.Value));
    }

    [Fact]
    public async Task ResolveAsync_WhenOnlyAValueIsSpoken_FindsTheKeyThatHasIt()
    {
        var result = await Resolve(Ec2Fleet.Standard(), value: "production");

        Assert.Equal(["db-1", "web-1", "web-2"], Names(result));
        Assert.Equal("Environment", ((TargetResult.Found)result).Selection.Tag!.Key);
    }

    [Fact]
    public async Task ResolveAsync_WhenValueDiffersOnlyInCaseAcrossInstances_TakesBothSpellings()
    {
        var fleet = new Ec2Fleet()
            .Add("i-01", "a", "running", "Environment=prod")
            .Add("i-02", "b", "running", "Environment=Prod")
            .Add("i-03", "c", "running", "Environment=dev");

        var result = await Resolve(fleet, "environment", "prod");

        Assert.Equal(["a", "b"], Names(result));
        Assert.Equal(["prod", "Prod"], fleet.InstanceRequests.Single().Filters.Single(f => f.Name == "tag:Environment").Values);
    }

    [Fact]
    public async Task ResolveAsync_WhenTwoValuesFitEqually_AsksWhichOne()
    {
        var fleet = new Ec2Fleet()
            .Add("i-01", "a", "running", "Role=web-server")
            .Add("i-02", "b", "running", "Role=web-cache");

        var result = await Resolve(fleet, "role", "web");

        var ambiguous = Assert.IsType<TargetResult.Ambiguous>(result);
        Assert.Equal(AmbiguityKind.TagValue, ambiguous.Kind);
        Assert.Equal(["web-server", "web-cache"], ambiguous.Candidates);
        Assert.Equal("Which one do you mean: web-server or web-cache?", TargetSpeech.Problem(Lang, result).Text);
        Assert.Empty(fleet.InstanceRequests);
    }

    [Fact]
    public async Task ResolveAsync_WhenAValueExistsUnderTwoKeys_AsksWhichTag()
    {
        var fleet = new Ec2Fleet()
            .Add("i-01", "a", "running", "Environment=prod")
            .Add("i-02", "b", "running", "Stage=prod");

        var result = await Resolve(fleet, value: "prod");

        var ambiguous = Assert.IsType<TargetResult.Ambiguous>(result);
        Assert.Equal(AmbiguityKind.TagKey, ambiguous.Kind);
        Assert.Equal("Which tag do you mean: Environment or Stage?", TargetSpeech.Problem(Lang, result).Text);
    }

    [Fact]
    public async Task ResolveAsync_WhenOnlyAKeyIsSpoken_AsksWhichValue()
    {
        var result = await Resolve(Ec2Fleet.Standard(), key: "environment");

        var ambiguous = Assert.IsType<TargetResult.Ambiguous>(result);
        Assert.Equal(["prod", "staging", "dev"], ambiguous.Candidates);
    }

    [Fact]
    public async Task ResolveAsync_WhenNoValueMatches_SaysWhichValuesTheKeyHas()
    {
        var fleet = Ec2Fleet.Standard();

        var result = await Resolve(fleet, "environment", "qa");

        var notFound = Assert.IsType<TargetResult.NotFound>(result);
        Assert.Equal(NotFoundKind.NoSuchTagValue, notFound.Kind);
        Assert.Equal("I found no instances tagged Environment qa. The Environment tag has the values prod, staging and dev.",
            TargetSpeech.Problem(Lang, result).Text);
        Assert.Empty(fleet.InstanceRequests);
    }

    [Fact]
    public async Task ResolveAsync_WhenNoKeyMatches_SaysWhichKeysExist()
    {
        var result = await Resolve(Ec2Fleet.Standard(), "owner", "alice");

        Assert.Equal(NotFoundKind.NoSuchTagKey, Assert.IsType<TargetResult.NotFound>(result).Kind);
        Assert.Equal("I found no tag called owner. The tags on your instances are Environment, Role and Patch Group.",
            TargetSpeech.Problem(Lang, result).Text);
    }

    [Fact]
    public async Task ResolveAsync_WhenNoKeyMatchesAndAnInstanceIsIsolated_LeavesTheSkillsOwnTagsOutOfTheKeysItNames()
    {
        var fleet = Ec2Fleet.Standard()
            .Tag("i-0a1b2c3d4e5f60001", SkillTags.IsolatedAt, "2026-11-29T09:00:00Z")
            .Tag("i-0a1b2c3d4e5f60001", "SecurityAlexa:IsolationReason", "test")
            .Tag("i-0a1b2c3d4e5f60002", SkillTags.ReleasedAt, "2026-11-29T09:30:00Z")
            .Tag("i-0a1b2c3d4e5f60002", "aws:cloudformation:stack-name", "web");

        var result = await Resolve(fleet, "owner", "alice");

        Assert.Equal("I found no tag called owner. The tags on your instances are Environment, Role and Patch Group.",
            TargetSpeech.Problem(Lang, result).Text);
        Assert.Equal(["Environment", "Role", "Patch Group"], new TagIndex([
            new InstanceTag("i-1", "Environment", "prod"), new InstanceTag("i-1", "Role", "web"), new InstanceTag("i-1", "Patch Group", "prod-linux"),
            new InstanceTag("i-1", SkillTags.IsolatedAt, "2026-11-29T09:00:00Z"), new InstanceTag("i-1", "securityalexa:OriginalGroups", "sg-1"),
            new InstanceTag("i-1", "Name", "web-1")]).SpeakableKeys);
    }

    [Fact]
    public async Task ResolveAsync_WhenTheAccountHasNoTags_SaysSo()
    {
        var result = await Resolve(new Ec2Fleet(), "environment", "prod");

        Assert.Equal("I found no tagged instances in this account and region, so there's nothing I can pick by tag.",
            TargetSpeech.Problem(Lang, result).Text);
    }

    [Theory]
    [InlineData("web one", "web-1")]
    [InlineData("Web-1", "web-1")]
    [InlineData("four f two a", "db-1")]
    [InlineData("instance ending in 4f2a", "db-1")]
    [InlineData("i-0a1b2c3d4e5f60002", "web-2")]
    [InlineData("database one", "db-1")]
    public async Task ResolveAsync_WhenNamedByNameOrId_FindsThatInstance(string spoken, string expected)
    {
        var result = await Resolve(Ec2Fleet.Standard(), name: spoken);

        Assert.Equal([expected], Names(result));
    }

    [Fact]
    public async Task ResolveAsync_WhenAValueIsReallyAName_FindsThatInstance()
    {
        var result = await Resolve(Ec2Fleet.Standard(), value: "web two");

        Assert.Equal(["web-2"], Names(result));
    }

    [Fact]
    public async Task ResolveAsync_WhenANameFitsSeveralInstances_AsksWhichOne()
    {
        var fleet = new Ec2Fleet()
            .Add("i-01", "web-1")
            .Add("i-02", "web-2")
            .Add("i-03", "db-1");

        var result = await Resolve(fleet, name: "web");

        Assert.Equal("Which one do you mean: web-1 or web-2?", TargetSpeech.Problem(Lang, result).Text);
    }

    [Fact]
    public async Task ResolveAsync_WhenTwoInstancesShareAName_OffersThemByIdEnding()
    {
        var fleet = new Ec2Fleet()
            .Add("i-0aaaaaaaaaaaa1111", "web-1")
            .Add("i-0bbbbbbbbbbbb2222", "web-1");

        var result = await Resolve(fleet, name: "web one");

        Assert.Equal("Which one do you mean: the one ending in 1111 or the one ending in 2222?", TargetSpeech.Problem(Lang, result).Text);
    }

    [Fact]
    public async Task ResolveAsync_WhenTheNamedInstanceIsStopped_SaysItIsNotRunning()
    {
        var result = await Resolve(Ec2Fleet.Standard(), name: "dev two");

        Assert.Equal(NotFoundKind.NoRunningInstances, Assert.IsType<TargetResult.NotFound>(result).Kind);
        Assert.Equal("dev-2 isn't running right now, so I left it alone.", TargetSpeech.Problem(Lang, result).Text);
    }

    [Fact]
    public async Task ResolveAsync_WhenStoppedInstancesAreAskedFor_IncludesThem()
    {
        var fleet = Ec2Fleet.Standard();

        var result = await Resolve(fleet, "environment", "dev", stopped: true);

        Assert.Equal(["dev-1", "dev-2"], Names(result));
        Assert.DoesNotContain("terminated", fleet.InstanceRequests.Single().Filters.Single(f => f.Name == "instance-state-name").Values);
    }

    [Fact]
    public async Task ResolveAsync_WhenNoNameMatches_SaysSoAndNamesSome()
    {
        var result = await Resolve(Ec2Fleet.Standard(), name: "mail server");

        Assert.Equal(NotFoundKind.NoSuchInstance, Assert.IsType<TargetResult.NotFound>(result).Kind);
        Assert.StartsWith("I found no instance called mail server. Some of the names I know are ", TargetSpeech.Problem(Lang, result).Text);
    }

    [Fact]
    public async Task ResolveAsync_WhenTaggedButNoneRunning_SaysTheyAreStopped()
    {
        var fleet = new Ec2Fleet().Add("i-01", "old-1", "stopped", "Environment=legacy");

        var result = await Resolve(fleet, "environment", "legacy");

        Assert.Equal("None of the instances tagged Environment legacy is running right now, so I left them alone. The stopped ones are old-1.",
            TargetSpeech.Problem(Lang, result).Text);
    }

    [Fact]
    public async Task ResolveAsync_WhenResultsSpanSeveralPages_ReadsEveryPage()
    {
        var fleet = Ec2Fleet.Standard(tagPageSize: 4, instancePageSize: 1);

        var result = await Resolve(fleet, "environment", "prod");

        Assert.Equal(["db-1", "web-1", "web-2"], Names(result));
        // 7 instances with 25 tags: 7 pages of 4; 3 instances: 3 pages of 1.
        Assert.Equal([null, "4", "8", "12", "16", "20", "24"], fleet.TagRequests.Select(r => r.NextToken));
        Assert.Equal([null, "1", "2"], fleet.InstanceRequests.Select(r => r.NextToken));
    }

    [Fact]
    public async Task ResolveAsync_ByTag_FiltersOnTheServer()
    {
        var fleet = Ec2Fleet.Standard();

        await Resolve(fleet, "environment", "prod");

        var tags = fleet.TagRequests.Single();
        Assert.Equal(("resource-type", "instance"), (tags.Filters.Single().Name, tags.Filters.Single().Values.Single()));
        Assert.Equal(1000, tags.MaxResults);
        var instances = fleet.InstanceRequests.Single();
        Assert.Equal(1000, instances.MaxResults);
        Assert.Equal(["prod"], instances.Filters.Single(f => f.Name == "tag:Environment").Values);
        Assert.Equal(["running"], instances.Filters.Single(f => f.Name == "instance-state-name").Values);
        Assert.Null(instances.InstanceIds);
    }

    [Fact]
    public async Task ResolveAsync_ByName_FiltersOnTheServerById()
    {
        var fleet = Ec2Fleet.Standard();

        await Resolve(fleet, name: "web one");

        var request = fleet.InstanceRequests.Single();
        Assert.Equal(["i-0a1b2c3d4e5f60001"], request.Filters.Single(f => f.Name == "instance-id").Values);
        Assert.Equal(["running"], request.Filters.Single(f => f.Name == "instance-state-name").Values);
    }

    [Fact]
    public async Task ResolveAsync_WithinAMinute_ReusesTheTagList()
    {
        var fleet = Ec2Fleet.Standard();
        var (resolver, time) = Over(fleet);

        await resolver.ResolveAsync(new TargetQuery { TagValue = "prod" }, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        await resolver.ResolveAsync(new TargetQuery { Name = "web one" }, CancellationToken.None);
        Assert.Single(fleet.TagRequests);

        time.Advance(TimeSpan.FromSeconds(2));
        await resolver.ResolveAsync(new TargetQuery { TagValue = "prod" }, CancellationToken.None);
        Assert.Equal(2, fleet.TagRequests.Count);
    }

    [Fact]
    public async Task ResolveAsync_WhenNothingIsNamed_CallsNothing()
    {
        var fleet = Ec2Fleet.Standard();

        var result = await Resolve(fleet);

        Assert.Equal(NotFoundKind.NothingNamed, Assert.IsType<TargetResult.NotFound>(result).Kind);
        Assert.Empty(fleet.TagRequests);
    }

    [Fact]
    public async Task ResolveAsync_WhenEc2DeniesAccess_ThrowsNamingTheAction()
    {
        var fleet = Ec2Fleet.Standard();
        fleet.FailWith("UnauthorizedOperation", HttpStatusCode.Forbidden);

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Resolve(fleet, "environment", "prod"));

        Assert.Equal(AwsOperations.Ec2DescribeTags, e.Operation);
        Assert.Equal(AwsFailure.AccessDenied, e.Failure);
    }

    [Fact]
    public async Task DescribeAsync_ReturnsKnownInstancesInAnyStateInTheGivenOrder()
    {
        var fleet = Ec2Fleet.Standard();
        var (resolver, _) = Over(fleet);

        var found = await resolver.DescribeAsync(["i-0e5f6a7b8c9d00007", "i-gone", "i-0a1b2c3d4e5f60001"], CancellationToken.None);

        Assert.Equal(["dev-2", "web-1"], found.Select(i => i.DisplayName));
        Assert.DoesNotContain(fleet.InstanceRequests.Single().Filters, f => f.Name == "instance-state-name");
    }

    [Fact]
    public async Task DescribeAsync_WhenEc2ReturnsNoReservations_ReturnsEmpty()
    {
        var (resolver, _) = Over(new Ec2Fleet());

        var found = await resolver.DescribeAsync(["i-0123"], CancellationToken.None);

        Assert.Empty(found);
    }

    [Fact]
    public async Task Ec2InstanceDirectory_WhenEc2ReturnsNullLists_ReturnsEmptyPages()
    {
        var mock = new Mock<IAmazonEC2>();
        mock.Setup(m => m.DescribeTagsAsync(It.IsAny<DescribeTagsRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new DescribeTagsResponse());
        mock.Setup(m => m.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeInstancesResponse { Reservations = [new Reservation()] });
        var directory = new Ec2InstanceDirectory(mock.Object);

        var tags = await directory.ListInstanceTagsAsync(null, CancellationToken.None);
        var instances = await directory.FindInstancesAsync(new InstanceFilter { TagKey = "Environment" }, null, CancellationToken.None);

        Assert.Empty(tags.Items);
        Assert.Null(tags.NextToken);
        Assert.Empty(instances.Items);
    }
}
