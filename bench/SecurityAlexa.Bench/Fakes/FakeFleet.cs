using System.Globalization;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>One simulated EC2 instance with its tags and its open Inspector findings.</summary>
internal sealed record FakeInstance(string Id, string Name, string State, IReadOnlyDictionary<string, string> Tags, int Critical, int High, int Medium, int All)
{
    public string Eni => "eni-" + Id[2..];

    public string SecurityGroup => "sg-0web" + Id[^6..];
}

/// <summary>
/// A fleet of N running instances, all tagged Environment=prod, Role=web and Patch Group=prod-linux, each with
/// many findings (150, a few critical), so "calls per command" can be measured against the fleet size.
/// </summary>
internal sealed class FakeFleet
{
    public const string TagKey = "Environment";
    public const string TagValue = "prod";
    public const string AccountId = "123456789012";
    public const int FindingsPerInstance = 150;

    public FakeFleet(int size)
    {
        Instances = Enumerable.Range(1, size).Select(n => new FakeInstance(
            "i-" + n.ToString("x17", CultureInfo.InvariantCulture),
            "web-" + n.ToString(CultureInfo.InvariantCulture),
            "running",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Name"] = "web-" + n.ToString(CultureInfo.InvariantCulture),
                [TagKey] = TagValue,
                ["Role"] = "web",
                ["Patch Group"] = "prod-linux",
            },
            Critical: n % 10 == 1 ? 2 : 0,
            High: 3 + n % 4,
            Medium: 20,
            All: FindingsPerInstance)).ToList();
        ById = Instances.ToDictionary(i => i.Id, StringComparer.Ordinal);
        Tags = Instances.SelectMany(i => i.Tags.Select(t => (i.Id, t.Key, t.Value))).ToList();
    }

    public IReadOnlyList<FakeInstance> Instances { get; }

    public IReadOnlyDictionary<string, FakeInstance> ById { get; }

    /// <summary>Every (instance, key, value), in DescribeTags order.</summary>
    public IReadOnlyList<(string Id, string Key, string Value)> Tags { get; }

    /// <summary>The name of the completed CIS scan the fake Inspector reports for the tag.</summary>
    public static string ScanName => $"SecurityAlexa-{TagKey}-{TagValue}-20261129T080000Z";

    /// <summary>A page of a list, with AWS-style string tokens (the next offset).</summary>
    public static (List<T> Items, string? Next) Slice<T>(IReadOnlyList<T> all, string? token, int size)
    {
        var start = string.IsNullOrEmpty(token) ? 0 : int.Parse(token, CultureInfo.InvariantCulture);
        var items = all.Skip(start).Take(size).ToList();
        return (items, start + size < all.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null);
    }
}
