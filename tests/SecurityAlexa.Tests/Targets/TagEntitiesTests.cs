using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Targets;

/// <summary>The launch teaches Alexa the account's tags, without ever making the launch slow or failing it.</summary>
public sealed class TagEntitiesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static readonly InstanceTag[] Fleet =
    [
        new("i-0a1b2c3d4e5f60001", "Name", "web-1"), new("i-0a1b2c3d4e5f60001", "Environment", "prod"),
        new("i-0a1b2c3d4e5f60002", "Name", "web-2"), new("i-0a1b2c3d4e5f60002", "Environment", "prod"),
        new("i-0a1b2c3d4e5f64f2a", "Name", "db-1"), new("i-0a1b2c3d4e5f64f2a", "Environment", "staging"),
        new("i-0a1b2c3d4e5f64f2a", SkillTags.IsolatedAt, "2026-11-29T09:00:00Z"),
        new("i-0a1b2c3d4e5f64f2a", "aws:cloudformation:stack-name", "core"),
        new("i-0a1b2c3d4e5f64f2a", "Owner", "arn:aws:iam::111122223333:role/ops"),
    ];

    [Fact]
    public async Task Launch_TeachesTheRealTagKeysValuesAndNames_AndReadsTheTagsOncePerMinute()
    {
        var time = new FakeTimeProvider(Start);
        var directory = new CountingDirectory(Fleet);
        var driver = new SkillDriver(Services(directory, time), time: time);

        var first = await driver.SayAsync(AlexaRequests.Launch());
        driver.EndSession();
        var second = await driver.SayAsync(AlexaRequests.Launch());

        Assert.StartsWith("Security assistant here.", first.Speech);
        var types = Types(first);
        Assert.Equal(["Environment", "Owner"], types["TAG_KEY"]);
        // Not the ARN, the skill's own record tags or AWS's: nobody says those.
        Assert.Equal(["prod", "staging"], types["TAG_VALUE"]);
        Assert.Equal(["db-1", "web-1", "web-2"], types["INSTANCE_NAME"]);
        Assert.Equal("REPLACE", (string?)first.Directive("Dialog.UpdateDynamicEntities")!["updateBehavior"]);
        // "web-1" is heard as "web 1".
        Assert.Contains("web 1", first.Directive("Dialog.UpdateDynamicEntities")!.ToJsonString(), StringComparison.Ordinal);
        // The second launch came from the cache: no AWS call on the launch path.
        Assert.Equal(1, directory.TagReads);
        Assert.Equal(types.Keys, Types(second).Keys);
        first.AssertWellFormed();
    }

    [Fact]
    public async Task Launch_AfterTheTagsChange_TeachesTheNewOnes()
    {
        // The directive is built once per tag read; a new read must not be answered with the old directive.
        var time = new FakeTimeProvider(Start);
        var directory = new CountingDirectory(Fleet);
        var driver = new SkillDriver(Services(directory, time), time: time);
        await driver.SayAsync(AlexaRequests.Launch());
        driver.EndSession();

        directory.Tags = [.. Fleet, new("i-0a1b2c3d4e5f60009", "Name", "api-9"), new("i-0a1b2c3d4e5f60009", "Environment", "dev")];
        time.Advance(TimeSpan.FromMinutes(2));
        var later = await driver.SayAsync(AlexaRequests.Launch());

        Assert.Equal(2, directory.TagReads);
        Assert.Equal(["dev", "prod", "staging"], Types(later)["TAG_VALUE"].Order(StringComparer.Ordinal));
        Assert.Contains("api-9", Types(later)["INSTANCE_NAME"]);
    }

    [Fact]
    public async Task Launch_WhenTheTagReadIsSlow_AnswersAfterAShortWaitWithoutTeaching()
    {
        var time = new FakeTimeProvider(Start);
        var directory = new CountingDirectory(Fleet) { Hang = true };
        var driver = new SkillDriver(Services(directory, time), time: time);

        var pending = driver.SayAsync(AlexaRequests.Launch());
        // Move the request's clock on until the launch gives up waiting (about a second), well before its deadline.
        for (var i = 0; i < 400 && !pending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }
        var reply = await pending;

        Assert.StartsWith("Security assistant here.", reply.Speech);
        Assert.Null(reply.Directive("Dialog.UpdateDynamicEntities"));
        Assert.True(time.GetUtcNow() - Start < TimeSpan.FromSeconds(3), "the launch waited for the tags far longer than a second");
        Assert.Single(driver.LogsOf("dynamic-entities.skipped"));
    }

    [Fact]
    public async Task Launch_WhenTheTagReadIsDenied_StillGreetsWithoutAnErrorOrTeaching()
    {
        var time = new FakeTimeProvider(Start);
        var directory = new CountingDirectory(Fleet) { Deny = true };
        var driver = new SkillDriver(Services(directory, time), time: time);

        var reply = await driver.SayAsync(AlexaRequests.Launch());

        Assert.Equal("Security assistant here. I can scan instances for vulnerabilities, patch them, and isolate a suspicious instance. What would you like to do?", reply.Speech);
        Assert.Null(reply.Directive("Dialog.UpdateDynamicEntities"));
        Assert.False(reply.EndsSession);
    }

    [Fact]
    public void Directive_ForALargeFleet_StaysWithinAlexasHundredValues()
    {
        var tags = Enumerable.Range(0, 300).SelectMany(i => new[]
        {
            new InstanceTag($"i-{i:D17}", "Name", $"node-{i:D3}"),
            new InstanceTag($"i-{i:D17}", "Team", $"team{i % 60:D2}x"),
        });

        var directive = LaunchWithTagEntitiesHandler.Directive(new TagIndex(tags))!;

        Assert.Equal(LaunchWithTagEntitiesHandler.MaxValues, directive.Types!.Sum(t => t.Values.Count));
        Assert.Equal(["TAG_KEY", "TAG_VALUE", "INSTANCE_NAME"], directive.Types!.Select(t => t.Name));
    }

    [Fact]
    public void Directive_WithNoSpeakableTags_IsNull() =>
        Assert.Null(LaunchWithTagEntitiesHandler.Directive(new TagIndex([new InstanceTag("i-1", "aws:autoscaling:groupName", "asg-1")])));

    private static SkillServices Services(IInstanceDirectory directory, TimeProvider time) =>
        new() { Instances = directory, Targets = new TargetResolver(directory, time) };

    private static Dictionary<string, List<string>> Types(AlexaReply reply) =>
        reply.Directive("Dialog.UpdateDynamicEntities")!["types"]!.AsArray().OfType<JsonObject>()
            .ToDictionary(t => (string)t["name"]!, t => t["values"]!.AsArray().Select(v => (string)v!["name"]!["value"]!).Order(StringComparer.Ordinal).ToList());

    /// <summary>DescribeTags from a list, counting reads; it can hang or be denied.</summary>
    private sealed class CountingDirectory(IReadOnlyList<InstanceTag> tags) : IInstanceDirectory
    {
        private int _reads;

        /// <summary>What the next DescribeTags returns.</summary>
        public IReadOnlyList<InstanceTag> Tags { get; set; } = tags;

        public int TagReads => _reads;

        public bool Hang { get; init; }

        public bool Deny { get; init; }

        public async Task<Page<InstanceTag>> ListInstanceTagsAsync(string? nextToken, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (Deny) throw new AwsCallException(AwsOperations.Ec2DescribeTags, AwsFailure.AccessDenied, "UnauthorizedOperation", System.Net.HttpStatusCode.Forbidden, "denied");
            if (Hang) await Task.Delay(Timeout.Infinite, cancellationToken);
            return new Page<InstanceTag>(Tags, null);
        }

        public Task<Page<InstanceInfo>> FindInstancesAsync(InstanceFilter filter, string? nextToken, CancellationToken cancellationToken) =>
            Task.FromResult(new Page<InstanceInfo>([], null));
    }
}
