using System.Diagnostics;
using SecurityAlexa.Bench.Fakes;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Bench.Fleet;

/// <summary>
/// The critical path of each command that changes something (issue 18): the sequential AWS round trips up to the
/// read-back and after the yes, and the turn as the user waits for it when every call takes 100 ms and 2 s of real
/// time. Each command runs through the real pipeline and the real adapters over the counting fakes at the SDK edge;
/// the round trips are read from when each call started (<see cref="CallCounter.CriticalPath"/>), not from a clock.
/// </summary>
internal static class CriticalPathBench
{
    public static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(100), Slow = TimeSpan.FromSeconds(2);

    /// <summary>One turn: its part of the command (setup, read-back, yes), the intent and slots, and how Alexa sends it.</summary>
    public sealed record Turn(string Phase, string Intent, Dictionary<string, string?> Slots, string Confirmation = "NONE", string DialogState = "STARTED");

    public sealed record Command(string Name, Func<CallCounter, SkillHost> Account, IReadOnlyList<Turn> Turns);

    /// <summary>One part of one command: round trips at 100 ms a call, and the turn times and answers at each latency.</summary>
    public sealed record Part(string Command, string Phase, int Calls, int RoundTrips, IReadOnlyList<string> Chain, double InstantMs, double FastMs, double SlowMs, string FastAnswer, string SlowAnswer);

    public const string ReadBack = "to the read-back", AfterYes = "after the yes", Setup = "setup";

    private static Dictionary<string, string?> IsolateSlots() => new()
    {
        ["InstanceName"] = "web one", ["TagKey"] = null, ["TagValue"] = null, ["Reason"] = "suspicious outbound traffic", ["ConfirmCount"] = null, ["SecurityCode"] = null,
    };

    private static Dictionary<string, string?> ReleaseSlots() => new()
    {
        ["InstanceName"] = "web one", ["TagKey"] = null, ["TagValue"] = null, ["ConfirmCount"] = null, ["SecurityCode"] = null,
    };

    private static Dictionary<string, string?> PatchSlots(string? selection) => new()
    {
        ["TagKey"] = FakeFleet.TagKey, ["TagValue"] = FakeFleet.TagValue, ["InstanceName"] = null, ["Scope"] = null,
        ["Selection"] = selection, ["ExceptName"] = null, ["ConfirmCount"] = null, ["SecurityCode"] = null,
    };

    private static Dictionary<string, string?> ScanSlots() => new()
    {
        ["TagKey"] = FakeFleet.TagKey, ["TagValue"] = FakeFleet.TagValue, ["InstanceName"] = null, ["ConfirmCount"] = null, ["SecurityCode"] = null,
    };

    /// <summary>The commands: one instance (its VPC's isolation groups exist already), and a tag group of 3.</summary>
    public static IReadOnlyList<Command> Commands { get; } =
    [
        new("isolate one instance", c => BenchAccount.ForIsolation(3, c, TimeSpan.Zero, groupsExist: true),
        [
            new(ReadBack, "IsolateIntent", IsolateSlots()),
            new(AfterYes, "IsolateIntent", IsolateSlots(), "CONFIRMED", "IN_PROGRESS"),
        ]),
        new("release it", c => BenchAccount.ForIsolation(3, c, TimeSpan.Zero, groupsExist: true),
        [
            new(Setup, "IsolateIntent", IsolateSlots()),
            new(Setup, "IsolateIntent", IsolateSlots(), "CONFIRMED", "IN_PROGRESS"),
            new(ReadBack, "ReleaseIntent", ReleaseSlots()),
            new(AfterYes, "ReleaseIntent", ReleaseSlots(), "CONFIRMED", "IN_PROGRESS"),
        ]),
        new("patch by tag (3 instances)", c => BenchAccount.OverSdkEdge(new FakeFleet(3), c, TimeSpan.Zero).Host,
        [
            new(ReadBack, "PatchIntent", PatchSlots(null)),
            new(ReadBack, "PatchIntent", PatchSlots("all of them"), DialogState: "IN_PROGRESS"),
            new(AfterYes, "PatchIntent", PatchSlots("all of them"), "CONFIRMED", "IN_PROGRESS"),
        ]),
        new("scan by tag (3 instances)", c => BenchAccount.OverSdkEdge(new FakeFleet(3), c, TimeSpan.Zero).Host,
        [
            new(ReadBack, "ScanIntent", ScanSlots()),
            new(AfterYes, "ScanIntent", ScanSlots(), "CONFIRMED", "IN_PROGRESS"),
        ]),
    ];

    public static async Task<IReadOnlyList<Part>> RunAsync(TextWriter output)
    {
        output.WriteLine("## Critical path of the commands that change something (sequential AWS round trips; real time)");
        output.WriteLine();
        // One untimed pass first, so the runner's own JIT compilation is not in the first row.
        foreach (var command in Commands) await RunCommandAsync(command, TimeSpan.Zero).ConfigureAwait(false);
        var parts = new List<Part>();
        foreach (var command in Commands)
        {
            var instant = await RunCommandAsync(command, TimeSpan.Zero).ConfigureAwait(false);
            var fast = await RunCommandAsync(command, Fast).ConfigureAwait(false);
            var slow = await RunCommandAsync(command, Slow).ConfigureAwait(false);
            foreach (var phase in new[] { ReadBack, AfterYes })
            {
                var f = fast[phase];
                parts.Add(new Part(command.Name, phase, f.Calls, f.Depth, f.Chain, instant[phase].Ms, f.Ms, slow[phase].Ms, f.Answer, slow[phase].Answer));
            }
            output.WriteLine($"  {command.Name}: done");
        }
        output.WriteLine();
        var table = new Table("command", "part", "AWS calls", "sequential round trips", "skill ms (instant AWS)", "turn ms at 100 ms/call", "turn ms at 2 s/call", "answer at 2 s/call");
        foreach (var p in parts)
            table.Row(p.Command, p.Phase, p.Calls, p.RoundTrips, Format.Ms(p.InstantMs), Format.Ms(p.FastMs), Format.Ms(p.SlowMs), Short(p.SlowAnswer));
        output.Write(table);
        output.WriteLine();
        output.WriteLine("The critical path of each part (at 100 ms a call; calls started within 90 ms of each other count as concurrent):");
        foreach (var p in parts) output.WriteLine($"  {p.Command}, {p.Phase}: {string.Join(" -> ", p.Chain)}");
        output.WriteLine("A part's turn times add its turns (the read-back of a patch is two turns: \"which ones?\" and the read-back). Each turn has the skill's 7 s budget.");
        output.WriteLine();
        return parts;
    }

    private sealed record Measured(int Calls, int Depth, IReadOnlyList<string> Chain, double Ms, string Answer);

    private static async Task<Dictionary<string, Measured>> RunCommandAsync(Command command, TimeSpan latency)
    {
        var counter = new CallCounter { Latency = TimeSpan.Zero };
        var conversation = new Conversation(command.Account(counter));
        var result = new Dictionary<string, Measured>(StringComparer.Ordinal);
        foreach (var phase in command.Turns.GroupBy(t => t.Phase))
        {
            // Setup (isolating what a release undoes) runs with AWS answering at once.
            counter.Latency = phase.Key == Setup ? TimeSpan.Zero : latency;
            var mark = counter.Started;
            var calls = counter.Total;
            var started = Stopwatch.GetTimestamp();
            foreach (var turn in phase)
                await conversation.SayAsync(turn.Intent, turn.Slots, turn.Confirmation, turn.DialogState).ConfigureAwait(false);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var (depth, chain) = latency > TimeSpan.Zero ? counter.CriticalPath(mark, latency) : (0, []);
            result[phase.Key] = new Measured(counter.Total - calls, depth, chain, ms, conversation.LastSpeech);
        }
        return result;
    }

    private static string Short(string speech) => speech.Length <= 90 ? speech : speech[..87] + "...";
}
