using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using Moq;

namespace SecurityAlexa.Tests.Support;

/// <summary>
/// A Moq <see cref="IAmazonEC2"/> serving DescribeTags and DescribeInstances from a list of instances,
/// honouring the server-side filters and paging like EC2, and recording every request it got.
/// </summary>
public sealed class Ec2Fleet
{
    private readonly List<(string Id, string State, Dictionary<string, string> Tags)> _instances = [];

    public Ec2Fleet(int tagPageSize = 1000, int instancePageSize = 1000)
    {
        Mock.Setup(m => m.DescribeTagsAsync(It.IsAny<DescribeTagsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DescribeTagsRequest r, CancellationToken _) =>
            {
                lock (TagRequests) TagRequests.Add(r);
                var all = _instances.SelectMany(i => i.Tags.Select(t => new TagDescription { ResourceId = i.Id, ResourceType = "instance", Key = t.Key, Value = t.Value })).ToList();
                var (items, next) = Slice(all, r.NextToken, tagPageSize);
                // EC2 gives null, not an empty list, when there is nothing.
                return new DescribeTagsResponse { Tags = items.Count == 0 ? null : items, NextToken = next };
            });
        Mock.Setup(m => m.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DescribeInstancesRequest r, CancellationToken _) =>
            {
                lock (InstanceRequests) InstanceRequests.Add(r);
                var matching = _instances.Where(i => Matches(i, r.Filters ?? [])).ToList();
                var (items, next) = Slice(matching, r.NextToken, instancePageSize);
                return new DescribeInstancesResponse
                {
                    Reservations = items.Count == 0 ? null : items.Select(i => new Reservation { Instances = [ToInstance(i)] }).ToList(),
                    NextToken = next,
                };
            });
    }

    public Mock<IAmazonEC2> Mock { get; } = new(MockBehavior.Strict);

    public IAmazonEC2 Client => Mock.Object;

    public List<DescribeTagsRequest> TagRequests { get; } = [];

    public List<DescribeInstancesRequest> InstanceRequests { get; } = [];

    /// <summary>Adds an instance with a Name tag and other tags given as "Key=Value".</summary>
    public Ec2Fleet Add(string id, string? name, string state = "running", params string[] tags)
    {
        var dict = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name is not null) dict["Name"] = name;
        foreach (var t in tags)
        {
            var eq = t.IndexOf('=', StringComparison.Ordinal);
            dict[t[..eq]] = t[(eq + 1)..];
        }
        _instances.Add((id, state, dict));
        return this;
    }

    /// <summary>Sets a tag on an instance already added (for changes between two turns of a conversation).</summary>
    public Ec2Fleet Tag(string id, string key, string value)
    {
        _instances.Single(i => i.Id == id).Tags[key] = value;
        return this;
    }

    /// <summary>The sandbox-like fleet most tests use: three prod, two staging, two dev (one stopped).</summary>
    public static Ec2Fleet Standard(int tagPageSize = 1000, int instancePageSize = 1000) => new Ec2Fleet(tagPageSize, instancePageSize)
        .Add("i-0a1b2c3d4e5f60001", "web-1", "running", "Environment=prod", "Role=web", "Patch Group=prod-linux")
        .Add("i-0a1b2c3d4e5f60002", "web-2", "running", "Environment=prod", "Role=web", "Patch Group=prod-linux")
        .Add("i-0a1b2c3d4e5f64f2a", "db-1", "running", "Environment=prod", "Role=db")
        .Add("i-0c3d4e5f6a7b80004", "web-3", "running", "Environment=staging", "Role=web", "Patch Group=staging-linux")
        .Add("i-0c3d4e5f6a7b80005", "api-1", "running", "Environment=staging", "Role=api", "Patch Group=staging-linux")
        .Add("i-0e5f6a7b8c9d00006", "dev-1", "running", "Environment=dev", "Role=web")
        .Add("i-0e5f6a7b8c9d00007", "dev-2", "stopped", "Environment=dev", "Role=db");

    /// <summary>Makes every call fail with an EC2 error code.</summary>
    public void FailWith(string errorCode, System.Net.HttpStatusCode status)
    {
        var error = new AmazonEC2Exception("denied") { ErrorCode = errorCode, StatusCode = status };
        Mock.Setup(m => m.DescribeTagsAsync(It.IsAny<DescribeTagsRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
        Mock.Setup(m => m.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(error);
    }

    private static bool Matches((string Id, string State, Dictionary<string, string> Tags) i, List<Filter> filters) => filters.All(f => f.Name switch
    {
        "instance-id" => f.Values.Contains(i.Id),
        "instance-state-name" => f.Values.Contains(i.State),
        "tag-key" => f.Values.Any(i.Tags.ContainsKey),
        var n when n.StartsWith("tag:", StringComparison.Ordinal) => i.Tags.TryGetValue(n[4..], out var v) && f.Values.Contains(v),
        _ => throw new InvalidOperationException("Unexpected filter " + f.Name),
    });

    private static Instance ToInstance((string Id, string State, Dictionary<string, string> Tags) i) => new()
    {
        InstanceId = i.Id,
        State = new InstanceState { Name = InstanceStateName.FindValue(i.State) },
        VpcId = "vpc-1",
        PrivateIpAddress = "10.0.0.1",
        PlatformDetails = "Linux/UNIX",
        Tags = i.Tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
    };

    private static (List<T> Items, string? Next) Slice<T>(List<T> all, string? token, int size)
    {
        var start = token is null ? 0 : int.Parse(token, CultureInfo.InvariantCulture);
        var items = all.Skip(start).Take(size).ToList();
        return (items, start + size < all.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null);
    }
}
