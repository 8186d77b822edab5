using SecurityAlexa.Bench.ColdStart;
using SecurityAlexa.Bench.Fleet;
using SecurityAlexa.Bench.Warm;

namespace SecurityAlexa.Bench;

/// <summary>The targets (issues 8 and 18) beside this run's figures.</summary>
internal static class Targets
{
    /// <summary>Issue 18's cold-start targets: the AOT median per request, at most this many times the floor's.</summary>
    public static readonly (string Request, double Times)[] FloorRatios =
    [
        (ColdStartBench.Launch, 3), (ColdStartBench.Help, 3), (ColdStartBench.ScanResults, 5), (ColdStartBench.IsolateReadBack, 5),
    ];

    public const double WarmUs = 60;
    public const long WarmBytes = 28 * 1024;

    public static void Print(TextWriter output, ColdStartBench.Result? cold, WarmBench.Result? warm, IReadOnlyList<FleetCallsBench.Measurement>? calls, IReadOnlyList<CriticalPathBench.Part>? path = null)
    {
        output.WriteLine("## Targets");
        output.WriteLine();
        var table = new Table("target", "this run", "verdict");
        if (cold is not null)
        {
            // Issue 18: every cold start as a ratio to the floor measured in the same run (a met absolute target is no goal).
            // The verdict goes by CPU time: the issue's floor (about 4.5 ms) is the floor's CPU time, most of its wall time
            // being the kernel starting a process, and CPU time is what other work on the machine disturbs least. Wall time
            // is printed beside it.
            var busy = !(Math.Max(cold.LoadAtStart, cold.LoadAtEnd) <= Environment.ProcessorCount);
            foreach (var (request, times) in FloorRatios)
            {
                var median = cold.AotByRequest.GetValueOrDefault(request, double.NaN);
                var ratio = median / cold.FloorMedianMs;
                var cpu = cold.AotCpuByRequest.GetValueOrDefault(request, double.NaN);
                var cpuRatio = cpu / cold.FloorCpuMs;
                var judged = cpuRatio;
                table.Row($"AOT cold {request}: median <= {times}x the floor, same run",
                    double.IsFinite(ratio)
                        ? $"wall {Format.Ratio(ratio)} ({Format.Ms(median)} / {Format.Ms(cold.FloorMedianMs)} ms); CPU {Format.Ratio(cpuRatio)} ({Format.Ms(cpu)} / {Format.Ms(cold.FloorCpuMs)} ms); judged on CPU{(busy ? " (load " + cold.LoadAtStart.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " to " + cold.LoadAtEnd.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + ", above the CPU count)" : "")}"
                        : "not measured",
                    double.IsFinite(judged) ? Format.Pass(judged <= times) : "MISSED");
            }
            table.Row("Binary size: report it, and what makes it up (above)",
                cold.AotBytes > 0 ? $"bootstrap {cold.AotBytes / 1024.0 / 1024.0:0.0} MB, floor {cold.FloorBytes / 1024.0 / 1024.0:0.0} MB" : "not published", cold.AotBytes > 0 ? "reported" : "-");
            var ratioJit = cold.JitMedianMs / cold.AotMedianMs;
            if (double.IsFinite(ratioJit))
                table.Row("(info, issue 8) AOT vs JIT, scan results, same run", $"{Format.Ratio(ratioJit)} (AOT {Format.Ms(cold.AotMedianMs)} ms, JIT {Format.Ms(cold.JitMedianMs)} ms)", "-");
            if (cold.R2rMedianMs is { } r2r && double.IsFinite(r2r))
                table.Row("(info) JIT + ReadyToRun vs JIT", $"{Format.Ms(r2r)} ms, {Format.Ratio(cold.JitMedianMs / r2r)} faster than JIT", "-");
        }
        if (warm is not null)
        {
            foreach (var name in new[] { "Launch", "Help" })
            {
                if (!warm.ByName.TryGetValue(name, out var w)) { table.Row($"Warm {name}", "not measured", "MISSED"); continue; }
                table.Row($"Warm {name}: median <= 60 µs, <= 28 KB allocated (issue 18)", $"{Format.Us(w.MedianNs)} µs, {Format.Kb(w.AllocatedBytes)} KB",
                    Format.Pass(w.MedianNs <= WarmUs * 1000 && w.AllocatedBytes >= 0 && w.AllocatedBytes <= WarmBytes));
            }
        }
        if (calls is not null)
        {
            var scan = calls.Where(m => m.Command.StartsWith("scan-results", StringComparison.Ordinal)).OrderBy(m => m.Instances).ToList();
            if (scan.Count > 0)
            {
                // Findings are never listed page by page: ListFindings is one call for the card, however many findings there are.
                var listFindings = scan.Select(m => m.Calls.GetValueOrDefault("inspector2:ListFindings")).Distinct().ToList();
                table.Row("Scan results: calls constant in the number of findings (150 per instance)",
                    $"ListFindings {string.Join("/", listFindings)} call(s) at every size; inspector2 calls {string.Join(" / ", scan.Select(m => m.Of("inspector2:")))} for {string.Join(" / ", scan.Select(m => m.Instances))} instances",
                    Format.Pass(listFindings.SequenceEqual([1])));
            }
            var resolution = calls.Where(m => m.Calls.ContainsKey("ec2:DescribeTags")).GroupBy(m => m.Command).FirstOrDefault()?.OrderBy(m => m.Instances).ToList();
            if (resolution is { Count: > 0 })
            {
                var ok = resolution.All(m => m.Calls["ec2:DescribeTags"] <= Pages(m.Instances * 4) && m.Calls.GetValueOrDefault("ec2:DescribeInstances") <= Pages(m.Instances) + 1);
                table.Row("Target resolution grows with pages (N/1000), not instances",
                    string.Join(" / ", resolution.Select(m => $"{m.Calls["ec2:DescribeTags"] + m.Calls.GetValueOrDefault("ec2:DescribeInstances")}")) + $" EC2 calls for {string.Join(" / ", resolution.Select(m => m.Instances))}",
                    Format.Pass(ok));
            }
            var patch = calls.Where(m => m.Command.StartsWith("patch", StringComparison.Ordinal)).OrderBy(m => m.Instances).ToList();
            // Target resolution (DescribeTags and the tag's DescribeInstances pages) may grow with pages; everything else must not.
            static int Resolution(FleetCallsBench.Measurement m) => m.Calls.GetValueOrDefault("ec2:DescribeTags") + m.Calls.GetValueOrDefault("ec2:DescribeInstances");
            // Up to CheckEachMax (200) instances every one is still checked, by design: at most 4 look-ups of 50 per check.
            var large = patch.Where(m => m.Instances > Patching.CheckEachMax).ToList();
            var constant = large.Count > 0 && large.Select(m => m.Total - Resolution(m)).Distinct().Count() == 1;
            // Up to CheckEachMax the commands go by instance id, 50 to a command (a tag target would also reach managed nodes outside
            // EC2 that were never read back); above it, one tag-targeted command once no such node carries the tag.
            var sends = patch.All(m => m.Of("ssm:SendCommand") == (m.Instances > Patching.CheckEachMax ? 1 : (m.Instances + 49) / 50));
            var sizes = string.Join(" / ", patch.Select(m => m.Instances.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
            table.Row($"Patch all by tag: by id, 50 a command, up to {Patching.CheckEachMax}; above, one tag-targeted SendCommand and constant calls",
                patch.Count == 0 ? "not on this branch yet"
                    : $"{string.Join(" / ", patch.Select(m => m.Total))} calls = EC2 resolution pages {string.Join(" / ", patch.Select(Resolution))} + other calls {string.Join(" / ", patch.Select(m => m.Total - Resolution(m)))}"
                      + $" ({string.Join(" / ", patch.Select(m => m.Of("ssm:SendCommand")))} SendCommand) for {sizes} instances; other calls constant above {Patching.CheckEachMax}: {(constant ? "yes" : "NO")}",
                patch.Count == 0 ? "-" : Format.Pass(constant && sends));
            var isolate = calls.Where(m => m.Command.StartsWith("isolate", StringComparison.Ordinal)).OrderBy(m => m.Instances).ToList();
            // Two turns (read-back, then the number said back); the second does the isolating, inside a 6.2 s deadline.
            var isolated = isolate.All(m => m.SlowAnswer.StartsWith("Done.", StringComparison.Ordinal) || m.SlowAnswer.Contains("being isolated in the background", StringComparison.Ordinal));
            table.Row("Isolate 20 within one turn at 100 ms per call, or say it is continuing",
                isolate.Count == 0 ? "not on this branch yet"
                    : $"{string.Join(" / ", isolate.Select(m => Format.Ms(m.SlowMs)))} ms for both turns (fleets of {string.Join(" / ", isolate.Select(m => m.Instances))}); {string.Join(" / ", isolate.Select(m => m.Total))} calls",
                isolate.Count == 0 ? "-" : Format.Pass(isolated));
        }
        if (path is not null)
        {
            var isolateYes = path.FirstOrDefault(p => p.Command.StartsWith("isolate", StringComparison.Ordinal) && p.Phase == CriticalPathBench.AfterYes);
            if (isolateYes is not null)
                table.Row($"Isolate one instance: <= {IsolateRoundTrips} sequential round trips after the yes (with the replay claim)", $"{isolateYes.RoundTrips} ({isolateYes.Calls} calls)", Format.Pass(isolateYes.RoundTrips <= IsolateRoundTrips));
            var patchReadBack = path.FirstOrDefault(p => p.Command.StartsWith("patch", StringComparison.Ordinal) && p.Phase == CriticalPathBench.ReadBack);
            if (patchReadBack is not null)
                table.Row("Patch by tag, 3 instances, 2 s calls: the read-back completes within the turn", $"{Format.Ms(patchReadBack.SlowMs)} ms for 2 turns: \"{Short(patchReadBack.SlowAnswer)}\"",
                    Format.Pass(patchReadBack.SlowAnswer.Contains("Shall I", StringComparison.Ordinal)));
            if (isolateYes is not null)
                table.Row("Isolate one instance, 2 s calls: the isolation completes within the turn", $"{Format.Ms(isolateYes.SlowMs)} ms: \"{Short(isolateYes.SlowAnswer)}\"",
                    Format.Pass(isolateYes.SlowAnswer.StartsWith("Done.", StringComparison.Ordinal)));
        }
        output.Write(table);
        output.WriteLine();
    }

    /// <summary>Issue 18: isolating one instance takes at most this many sequential round trips after the yes.</summary>
    public const int IsolateRoundTrips = 5;

    private static string Short(string speech) => speech.Length <= 70 ? speech : speech[..67] + "...";

    // The patch setting the bench's skill runs with (the default).
    private static readonly SecurityAlexa.Patching.PatchSettings Patching = new();

    private static int Pages(int items) => Math.Max(1, (items + 999) / 1000);
}
