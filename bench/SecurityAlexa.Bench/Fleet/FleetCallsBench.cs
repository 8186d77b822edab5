using System.Diagnostics;
using System.Globalization;
using SecurityAlexa.Bench.Fakes;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Bench.Fleet;

/// <summary>
/// AWS calls per command as the fleet grows: each command runs through the real pipeline and the real AWS adapters,
/// over counting fakes at the SDK edge, for fleets of 10 to 10,000 instances with 150 findings each. Each is run
/// twice: with AWS answering at once (the calls and the skill's own time), and with every call taking 100 ms
/// (the turn as the user would wait for it, inside the 6.2 s request deadline).
/// </summary>
internal static class FleetCallsBench
{
    public static readonly int[] Sizes = [10, 100, 1_000, 10_000];
    public static readonly TimeSpan SlowCall = TimeSpan.FromMilliseconds(100);

    /// <summary>A spoken command, as one or more turns, and the account it runs against (the common fleet when null).</summary>
    public sealed record Command(string Name, Func<Conversation, int, Task> Script)
    {
        public Func<int, CallCounter, TimeSpan, SkillHost>? Account { get; init; }
    }

    /// <summary>One command on one fleet.</summary>
    public sealed record Measurement(string Command, int Instances, IReadOnlyDictionary<string, int> Calls, double InstantMs, double SlowMs, string Answer, string SlowAnswer, int ResponseBytes)
    {
        public int Total => Calls.Values.Sum();

        public int Of(string prefix) => Calls.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);
    }

    private static readonly Dictionary<string, string?> ProdTag = new() { ["TagKey"] = FakeFleet.TagKey, ["TagValue"] = FakeFleet.TagValue };

    /// <summary>The commands measured. Capabilities add theirs here.</summary>
    public static IReadOnlyList<Command> Commands { get; } =
    [
        new("scan-results by tag", (c, _) => c.SayAsync("ScanResultsIntent", ProdTag)),
        // "Scan the instances tagged environment prod" - the read-back - the number said back (above 3 instances), or a yes.
        new("scan (start) by tag (2 turns)", async (c, n) =>
        {
            await c.SayAsync("ScanIntent", ScanSlots(null)).ConfigureAwait(false);
            if (n > 3) await c.SayAsync("ScanIntent", ScanSlots(n.ToString(CultureInfo.InvariantCulture)), dialogState: "IN_PROGRESS").ConfigureAwait(false);
            else await c.SayAsync("ScanIntent", ScanSlots(null), confirmation: "CONFIRMED", dialogState: "IN_PROGRESS").ConfigureAwait(false);
        }),
        // "Patch the instances tagged environment prod" - "all of them" - the number said back (above 3 instances).
        new("patch-all-by-tag (3 turns)", async (c, n) =>
        {
            await c.SayAsync("PatchIntent", PatchSlots(null, null)).ConfigureAwait(false);
            await c.SayAsync("PatchIntent", PatchSlots("all of them", null), dialogState: "IN_PROGRESS").ConfigureAwait(false);
            await c.SayAsync("PatchIntent", PatchSlots("all of them", n.ToString(CultureInfo.InvariantCulture)), dialogState: "IN_PROGRESS").ConfigureAwait(false);
        }),
        // "Isolate the instances tagged incident 42" (20 of the fleet) - the number said back.
        new("isolate-20 by tag (2 turns)", async (c, n) =>
        {
            await c.SayAsync("IsolateIntent", IsolateSlots(null)).ConfigureAwait(false);
            var tagged = Math.Min(BenchAccount.IsolateCount, n);
            await c.SayAsync("IsolateIntent", IsolateSlots(tagged.ToString(CultureInfo.InvariantCulture)), dialogState: "IN_PROGRESS").ConfigureAwait(false);
        })
        {
            Account = BenchAccount.ForIsolation,
        },
    ];

    private static Dictionary<string, string?> ScanSlots(string? count) => new()
    {
        ["TagKey"] = FakeFleet.TagKey,
        ["TagValue"] = FakeFleet.TagValue,
        ["InstanceName"] = null,
        ["ConfirmCount"] = count,
        ["SecurityCode"] = null,
    };

    private static Dictionary<string, string?> IsolateSlots(string? count) => new()
    {
        ["InstanceName"] = null,
        ["TagKey"] = "Incident",
        ["TagValue"] = "42",
        ["Reason"] = "incident 42",
        ["ConfirmCount"] = count,
        ["SecurityCode"] = null,
    };

    private static Dictionary<string, string?> PatchSlots(string? selection, string? count) => new()
    {
        ["TagKey"] = FakeFleet.TagKey,
        ["TagValue"] = FakeFleet.TagValue,
        ["InstanceName"] = null,
        ["Scope"] = null,
        ["Selection"] = selection,
        ["ExceptName"] = null,
        ["ConfirmCount"] = count,
        ["SecurityCode"] = null,
    };

    public static async Task<IReadOnlyList<Measurement>> RunAsync(TextWriter output, int maxSize)
    {
        output.WriteLine("## AWS calls per command as the fleet grows (counting fakes at the SDK edge)");
        output.WriteLine();
        var results = new List<Measurement>();
        // One untimed pass first, so the first row does not carry the runner's own JIT compilation.
        foreach (var command in Commands) await RunCommandAsync(command, new FakeFleet(10), 10, TimeSpan.Zero).ConfigureAwait(false);
        foreach (var command in Commands)
        {
            foreach (var size in Sizes.Where(s => s <= maxSize))
            {
                var fleet = new FakeFleet(size);
                var (calls, instantMs, answer, bytes) = await RunCommandAsync(command, fleet, size, TimeSpan.Zero).ConfigureAwait(false);
                var (_, slowMs, slowAnswer, _) = await RunCommandAsync(command, fleet, size, SlowCall).ConfigureAwait(false);
                results.Add(new Measurement(command.Name, size, calls, instantMs, slowMs, answer, slowAnswer, bytes));
                output.WriteLine($"  {command.Name} @ {size:N0}: {calls.Values.Sum()} calls, {Format.Ms(instantMs)} ms instant, {Format.Ms(slowMs)} ms at 100 ms/call");
            }
        }

        var table = new Table("command", "instances", "AWS calls", "EC2 (target resolution)", "inspector2", "SSM", "state table (replay claims)", "other EC2", "wall ms (instant AWS)", "turn ms at 100 ms/call", "largest response KB", "answer at 100 ms/call");
        foreach (var m in results)
        {
            var resolution = m.Calls.GetValueOrDefault("ec2:DescribeTags") + m.Calls.GetValueOrDefault("ec2:DescribeInstances");
            table.Row(m.Command, m.Instances.ToString("N0", CultureInfo.InvariantCulture), m.Total,
                $"{resolution} ({m.Calls.GetValueOrDefault("ec2:DescribeTags")} tags + {m.Calls.GetValueOrDefault("ec2:DescribeInstances")} instance pages)",
                m.Of("inspector2:"), m.Of("ssm:"), m.Of("dynamodb:"), m.Of("ec2:") - resolution, Format.Ms(m.InstantMs), Format.Ms(m.SlowMs),
                Format.Kb(m.ResponseBytes) + (m.ResponseBytes > 24 * 1024 ? " (> 24 KB!)" : ""), Short(m.SlowAnswer));
        }
        output.Write(table);
        output.WriteLine();
        output.WriteLine("Calls by operation (largest fleet measured):");
        foreach (var group in results.GroupBy(r => r.Command))
        {
            var largest = group.MaxBy(r => r.Instances)!;
            output.WriteLine($"  {group.Key} @ {largest.Instances:N0}: " + string.Join(", ", largest.Calls.Select(c => $"{c.Key} {c.Value}")));
        }
        output.WriteLine("Fleet: N running instances tagged Environment=prod (4 tags each), 150 findings each; EC2 pages of 1,000, inspector2 pages of 100 (200 for coverage).");
        output.WriteLine();
        return results;
    }

    private static async Task<(IReadOnlyDictionary<string, int> Calls, double Ms, string Answer, int Bytes)> RunCommandAsync(Command command, FakeFleet fleet, int size, TimeSpan latency)
    {
        var counter = new CallCounter();
        var host = command.Account is { } account ? account(size, counter, latency) : BenchAccount.OverSdkEdge(fleet, counter, latency).Host;
        var conversation = new Conversation(host);
        var started = Stopwatch.GetTimestamp();
        await command.Script(conversation, size).ConfigureAwait(false);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (counter.Snapshot(), ms, conversation.LastSpeech, conversation.LastBytes);
    }

    private static string Short(string speech) => speech.Length <= 60 ? speech : speech[..57] + "...";
}
