using System.Text.Json;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Skill;

public sealed class InstanceSetTests
{
    private static List<string> Ids(int n) => Enumerable.Range(1, n).Select(i => $"i-{i:x17}").ToList();
    private static List<string> Names(int n) => Enumerable.Range(1, n).Select(i => $"node-{i}").ToList();

    [Fact]
    public void Of_WhenSmallSet_KeepsEveryIdAndName()
    {
        var memory = TargetMemory.Of("tagged environment prod", Ids(InstanceSet.MaxIds), Names(InstanceSet.MaxIds), "environment", "prod");

        Assert.Equal(Ids(InstanceSet.MaxIds), memory.InstanceIds);
        Assert.Equal(InstanceSet.MaxIds, memory.Names.Count);
        Assert.False(memory.IdsOmitted);
        Assert.Null(memory.Digest);
        Assert.Equal(InstanceSet.MaxIds, memory.Size);
    }

    [Fact]
    public void Of_WhenLargeTagSet_KeepsTagSizeDigestAndFewNames()
    {
        var memory = TargetMemory.Of("tagged environment prod", Ids(10_000), Names(10_000), "environment", "prod", vulnerable: true);

        Assert.Empty(memory.InstanceIds);
        Assert.True(memory.IdsOmitted);
        Assert.Equal(10_000, memory.Size);
        Assert.Equal(InstanceSet.SampleNames, memory.Names.Count);
        Assert.Equal(InstanceSet.Digest(Ids(10_000)), memory.Digest);
        Assert.Equal(("environment", "prod", true), (memory.TagKey, memory.TagValue, memory.Vulnerable));
        // The whole remembered set stays small enough for Alexa's session attributes.
        Assert.True(JsonSerializer.Serialize(memory, SkillJsonContext.Default.TargetMemory).Length < 600);
    }

    [Fact]
    public void Of_WhenLargeSetWithoutTag_KeepsTheIds()
    {
        // Without a tag there is nothing to read the set again from, so the ids cannot be dropped.
        var memory = TargetMemory.Of("", Ids(60), Names(60));

        Assert.Equal(60, memory.InstanceIds.Count);
        Assert.False(memory.IdsOmitted);
    }

    [Fact]
    public void Digest_IgnoresOrderAndDuplicates_ButNotMembership()
    {
        var ids = Ids(200);
        var shuffled = ids.AsEnumerable().Reverse().Concat(ids.Take(3)).ToList();

        Assert.Equal(InstanceSet.Digest(ids), InstanceSet.Digest(shuffled));
        Assert.NotEqual(InstanceSet.Digest(ids), InstanceSet.Digest(ids.Skip(1)));
        Assert.NotEqual(InstanceSet.Digest(ids), InstanceSet.Digest([.. ids, "i-0000000000000ffff"]));
    }
}
