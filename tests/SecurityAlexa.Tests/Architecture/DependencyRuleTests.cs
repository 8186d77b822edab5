using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Xunit.Abstractions;

namespace SecurityAlexa.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/architecture.md, checked on the compiled function: the core names no capability,
/// capabilities reach AWS only through their ports and AwsContract/, and capability folders form no cycle.
/// </summary>
public sealed class DependencyRuleTests(ITestOutputHelper output)
{
    /// <summary>Routing, turns, replies and the Alexa contract: what every capability builds on.</summary>
    private static readonly string[] Core = ["Alexa", "Skill"];

    /// <summary>What a capability may know of AWS: failure kinds, operation names, the call observer.</summary>
    private static readonly string[] Leaf = ["AwsContract"];

    private static readonly string[] Capabilities = ["Accounts", "Blocking", "GuardDuty", "Isolation", "Notifications", "Patching",
        "Scanning", "Security", "State", "Targets", "Tickets"];

    private static readonly string[] Adapters = ["Aws", "Sandbox"];

    /// <summary>
    /// References from the core into a capability that are still there, each a known debt to pay off (see
    /// docs/architecture.md). The test fails when one is added, and when one is gone and still listed here.
    /// </summary>
    private static readonly string[] KnownCoreDebts = ["Skill -> Security"];

    private static FolderGraph Graph => LazyGraph.Value;

    private static readonly Lazy<FolderGraph> LazyGraph = new(() => FolderGraph.Of(typeof(Function).Assembly));

    [Fact]
    public void Core_RefersToNoCapabilityAdapterOrCompositionRoot_BeyondItsKnownDebts()
    {
        var found = Core.SelectMany(from => Graph.Folders.Where(to => !Core.Contains(to) && !Leaf.Contains(to) && Graph.Refers(from, to))
            .Select(to => from + " -> " + to)).ToList();

        Assert.True(found.Order().SequenceEqual(KnownCoreDebts.Order()), Describe("core references", found));
    }

    [Fact]
    public void Capabilities_ReachAwsOnlyThroughPortsAndAwsContract()
    {
        var found = Capabilities.SelectMany(from => Adapters.Append(FolderGraph.Root).Append("Bootstrap")
            .Where(to => Graph.Refers(from, to)).Select(to => from + " -> " + to)).ToList();

        Assert.True(found.Count == 0, Describe("capability references to adapters or the composition root", found));
    }

    [Fact]
    public void AwsContract_RefersToNothingElseOfTheFunction()
    {
        var found = Graph.Folders.Where(to => to != "AwsContract" && Graph.Refers("AwsContract", to)).Select(to => "AwsContract -> " + to).ToList();

        Assert.True(found.Count == 0, Describe("leaf references", found));
    }

    [Fact]
    public void CapabilityFolders_FormNoCycle()
    {
        var cycles = Graph.Cycles(Capabilities);

        Assert.True(cycles.Count == 0, "cycles: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
    }

    [Fact]
    public void EveryFolder_IsPlacedInALayer()
    {
        var placed = Core.Concat(Leaf).Concat(Capabilities).Concat(Adapters).Append(FolderGraph.Root).Append("Bootstrap").ToHashSet();

        var unplaced = Graph.Folders.Where(f => !placed.Contains(f)).ToList();

        Assert.True(unplaced.Count == 0, "folders in no layer: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void Function_IsTheOnlyPublicClass_TheRestIsInternal()
    {
        // Lambda's managed runtime needs Function; xUnit theories take these enums as parameters.
        string[] allowed = ["Function", "FlowLogQueryState", "SecurityCodeMode", "MatchTier"];

        var extra = typeof(Function).Assembly.GetTypes().Where(t => t.IsPublic && !allowed.Contains(t.Name)).Select(t => t.FullName).ToList();

        Assert.True(extra.Count == 0, "public types: " + string.Join(", ", extra));
    }

    [Fact]
    public void FolderGraph_SeesReferencesMadeOnlyInsideMethodBodies()
    {
        // The rule is only as good as the graph: Aws/AwsCall names the observer only in a method body.
        Assert.True(Graph.Refers("Aws", "AwsContract"));
        Assert.True(Graph.Refers(FolderGraph.Root, "Aws"));
    }

    /// <summary>
    /// Prints the figures of docs/architecture.md: folder edges, folder-level cycles and public types. Point
    /// ARCH_MEASURE_DLL at another build of the function to measure it instead.
    /// </summary>
    [Fact]
    public void Figures_ArePrinted()
    {
        var path = Environment.GetEnvironmentVariable("ARCH_MEASURE_DLL");
        var assembly = path is null ? typeof(Function).Assembly : new AssemblyLoadContext("measure", isCollectible: true).LoadFromAssemblyPath(path);
        var graph = path is null ? Graph : FolderGraph.Of(assembly);
        var types = assembly.GetTypes().Where(t => !t.Name.Contains('<', StringComparison.Ordinal)).ToList();
        var text = new StringBuilder();
        foreach (var (from, to) in graph.Edges.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.AppendLine(from + " -> " + string.Join(", ", to.Keys.Order(StringComparer.Ordinal)));
        text.AppendLine("cycles: " + string.Join("; ", graph.Cycles().Select(c => string.Join(" <-> ", c))));
        text.AppendLine("public types: " + types.Count(t => t.IsPublic || t.IsNestedPublic) + " (top-level " + types.Count(t => t.IsPublic) + ")");
        text.AppendLine("internal types: " + types.Count(t => !(t.IsPublic || t.IsNestedPublic)));
        output.WriteLine(text.ToString());
        Assert.NotEmpty(graph.Edges);
    }

    private static string Describe(string what, List<string> found) =>
        what + ": " + string.Join("; ", found.Select(f => f + " (" + string.Join(", ", Example(f)) + ")"));

    private static IEnumerable<string> Example(string edge)
    {
        var parts = edge.Split(" -> ");
        return Graph.Edges.TryGetValue(parts[0], out var e) && e.TryGetValue(parts[1], out var why) ? why : [];
    }
}
