using System.Globalization;
using System.Runtime.InteropServices;
using SecurityAlexa.Bench;
using SecurityAlexa.Bench.ColdStart;
using SecurityAlexa.Bench.Fleet;
using SecurityAlexa.Bench.Warm;

// dotnet run -c Release --project bench/SecurityAlexa.Bench -- all [--runs 10] [--builds floor,aot,jit,r2r] [--publish] [--max-fleet 10000] [--verbose]
var section = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
var runs = Math.Max(1, Option("--runs", 10));
var maxFleet = Option("--max-fleet", 10_000);
var force = args.Contains("--publish");
var verbose = args.Contains("--verbose");
var buildsIndex = Array.IndexOf(args, "--builds");
var builds = buildsIndex >= 0 && buildsIndex + 1 < args.Length ? args[buildsIndex + 1].Split(',').ToHashSet() : [];
if (section is not ("all" or "cold" or "warm" or "calls" or "path"))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/SecurityAlexa.Bench -- [all|cold|warm|calls|path] [--runs N] [--builds floor,aot,jit,r2r] [--publish] [--max-fleet N] [--verbose]");
    return 2;
}
#if DEBUG
Console.Error.WriteLine("Run the bench with -c Release: BenchmarkDotNet refuses unoptimised code.");
return 2;
#else
var output = Console.Out;
output.WriteLine("# SecurityAlexa performance");
output.WriteLine();
output.WriteLine($"Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. Machine: {Environment.ProcessorCount} CPUs ({Machine.CpuModel()}), {Machine.MemoryGb()}, {RuntimeInformation.OSDescription}.");
output.WriteLine($".NET {Environment.Version}; load average at start: {Machine.LoadAverage()} (shared machine: read medians and ratios, not absolute numbers).");
output.WriteLine();

var started = DateTime.UtcNow;
ColdStartBench.Result? cold = null;
WarmBench.Result? warm = null;
IReadOnlyList<FleetCallsBench.Measurement>? calls = null;
IReadOnlyList<CriticalPathBench.Part>? path = null;
if (section is "all" or "cold") cold = await ColdStartBench.RunAsync(runs, force, builds, output);
if (section is "all" or "warm") warm = WarmBench.Run(output, verbose);
if (section is "all" or "calls") calls = await FleetCallsBench.RunAsync(output, maxFleet);
if (section is "all" or "path") path = await CriticalPathBench.RunAsync(output);

Targets.Print(output, cold, warm, calls, path);
output.WriteLine($"Total bench time: {(DateTime.UtcNow - started).TotalSeconds:F0} s; load average at end: {Machine.LoadAverage()}.");
return 0;
#endif
