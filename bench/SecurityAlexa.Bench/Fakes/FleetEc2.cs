using Amazon.EC2;
using Amazon.EC2.Model;
using Moq;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>
/// A counting <see cref="IAmazonEC2"/> over a <see cref="FakeFleet"/> (Moq, strict): DescribeTags and DescribeInstances
/// with EC2's server-side filters and 1,000-item pages, each call counted and optionally delayed.
/// Capabilities that need more EC2 calls add them here.
/// </summary>
internal sealed class FleetEc2
{
    public FleetEc2(FakeFleet fleet, CallCounter counter, TimeSpan latency)
    {
        Fleet = fleet;
        Counter = counter;
        Latency = latency;
        Mock.Setup(m => m.DescribeTagsAsync(It.IsAny<DescribeTagsRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (DescribeTagsRequest r, CancellationToken ct) =>
            {
                await CallAsync("ec2:DescribeTags", ct).ConfigureAwait(false);
                var (items, next) = FakeFleet.Slice(fleet.Tags, r.NextToken, Math.Min(r.MaxResults ?? 1000, 1000));
                return new DescribeTagsResponse
                {
                    Tags = items.Count == 0 ? null : items.Select(t => new TagDescription { ResourceId = t.Id, ResourceType = "instance", Key = t.Key, Value = t.Value }).ToList(),
                    NextToken = next,
                };
            });
        Mock.Setup(m => m.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (DescribeInstancesRequest r, CancellationToken ct) =>
            {
                // Reads by id (re-checking instances already chosen) are counted apart from target resolution (tag filters, pages).
                await CallAsync(r.Filters?.Any(f => f.Name == "instance-id") == true ? ByIdOperation : "ec2:DescribeInstances", ct).ConfigureAwait(false);
                var filters = (r.Filters ?? []).Select(f => (f.Name, Values: f.Values.ToHashSet(StringComparer.Ordinal))).ToList();
                IEnumerable<FakeInstance> candidates = fleet.Instances;
                // Ids first: a lookup, not a scan of 10,000 instances per 200-id request.
                if (filters.FirstOrDefault(f => f.Name == "instance-id") is { Values: { } ids })
                    candidates = ids.Select(id => fleet.ById.GetValueOrDefault(id)).OfType<FakeInstance>().OrderBy(i => i.Id, StringComparer.Ordinal);
                var matching = candidates.Where(i => Matches(i, filters)).ToList();
                var (items, next) = FakeFleet.Slice(matching, r.NextToken, Math.Min(r.MaxResults ?? 1000, 1000));
                return new DescribeInstancesResponse
                {
                    Reservations = items.Count == 0 ? null : [new Reservation { Instances = items.Select(ToInstance).ToList() }],
                    NextToken = next,
                };
            });
    }

    /// <summary>The counter's name for DescribeInstances by instance id, as opposed to a tag's pages.</summary>
    public const string ByIdOperation = "ec2:DescribeInstances(by id)";

    public Mock<IAmazonEC2> Mock { get; } = new(MockBehavior.Strict);

    public IAmazonEC2 Client => Mock.Object;

    public FakeFleet Fleet { get; }

    public CallCounter Counter { get; }

    public TimeSpan Latency { get; }

    /// <summary>Counts a call and waits the per-call latency.</summary>
    public async Task CallAsync(string operation, CancellationToken ct)
    {
        Counter.Add(operation);
        var wait = Counter.Latency ?? Latency;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct).ConfigureAwait(false);
    }

    private static bool Matches(FakeInstance i, List<(string Name, HashSet<string> Values)> filters) => filters.All(f => f.Name switch
    {
        "instance-id" => f.Values.Contains(i.Id),
        "instance-state-name" => f.Values.Contains(i.State),
        "tag-key" => f.Values.Any(i.Tags.ContainsKey),
        var n when n.StartsWith("tag:", StringComparison.Ordinal) => i.Tags.TryGetValue(n[4..], out var v) && f.Values.Contains(v),
        _ => true,
    });

    public static Instance ToInstance(FakeInstance i) => new()
    {
        InstanceId = i.Id,
        State = new InstanceState { Name = InstanceStateName.FindValue(i.State), Code = 16 },
        VpcId = "vpc-0bench",
        PrivateIpAddress = "10.0.0.1",
        PlatformDetails = "Linux/UNIX",
        Tags = i.Tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
        NetworkInterfaces =
        [
            new InstanceNetworkInterface
            {
                NetworkInterfaceId = i.Eni,
                Groups = [new GroupIdentifier { GroupId = i.SecurityGroup, GroupName = "web" }],
            },
        ],
    };
}
