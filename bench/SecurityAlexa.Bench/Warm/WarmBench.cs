using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SecurityAlexa.Bench.Warm;

/// <summary>Runs <see cref="WarmRequestBenchmarks"/> in process with a short job, and prints its own summary.</summary>
internal static class WarmBench
{
    /// <summary>Median time and allocation per request, by benchmark name.</summary>
    public sealed record Result(IReadOnlyDictionary<string, (double MedianNs, long AllocatedBytes)> ByName);

    public static Result Run(TextWriter output, bool verbose)
    {
        output.WriteLine("## Warm per-request cost (BenchmarkDotNet, in process, short run)");
        output.WriteLine();
        // In process: no generated project to build. ShortRun: 3 warm-up and 3 measured iterations, one launch.
        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(verbose ? ConsoleLogger.Default : NullLogger.Instance)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(Repo.Artifacts, "BenchmarkDotNet"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<WarmRequestBenchmarks>(config);

        var results = new Dictionary<string, (double, long)>(StringComparer.Ordinal);
        var table = new Table("request", "mean µs", "median µs", "stddev µs", "allocated KB/op", "n");
        foreach (var report in summary.Reports)
        {
            var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
            if (report.ResultStatistics is not { } s)
            {
                table.Row(name, "failed", null, null, null, 0);
                continue;
            }
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            results[name] = (s.Median, allocated);
            table.Row(name, Format.Us(s.Mean), Format.Us(s.Median), Format.Us(s.StandardDeviation), allocated < 0 ? "-" : Format.Kb(allocated), s.N);
        }
        output.Write(table);
        output.WriteLine();
        output.WriteLine($"BenchmarkDotNet {typeof(BenchmarkRunner).Assembly.GetName().Version}; full report in {Repo.Relative(summary.ResultsDirectoryPath)}.");
        output.WriteLine();
        return new Result(results);
    }
}
