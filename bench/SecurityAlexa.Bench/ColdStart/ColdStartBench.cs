using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SecurityAlexa.Bench.Fakes;

namespace SecurityAlexa.Bench.ColdStart;

/// <summary>
/// Cold start, locally: fresh processes of the Native AOT bootstrap, the JIT build and the JIT build with
/// ReadyToRun, each served one invocation by <see cref="FakeLambdaEndpoint"/>; time from process start to the
/// whole response received. The scan-results invocation builds the EC2 client and the inspector2 client and
/// runs every serializer the skill uses, as Lambda's first request would.
/// </summary>
internal static class ColdStartBench
{
    public const string SkillId = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000";

    private sealed record Build(string Name, string Label, string File, string[] Arguments);

    private sealed record Invocation(string Name, byte[] Payload, string Expect);

    private sealed record Sample(double InitMs, double ResponseMs, long PeakRssKb, int AwsCalls);

    /// <summary>The medians this section found, for the targets summary.</summary>
    public sealed record Result(double AotMedianMs, double JitMedianMs, double? R2rMedianMs);

    public static async Task<Result?> RunAsync(int runs, bool forcePublish, TextWriter output)
    {
        output.WriteLine("## Cold start (fresh process to first response, local fake Runtime API)");
        output.WriteLine();
        output.WriteLine("Publishing (skipped when up to date; a Native AOT publish takes minutes on this machine):");
        var aot = await Repo.PublishAsync("aot", ["-r", "linux-x64", "-p:PublishAot=true"], forcePublish, output).ConfigureAwait(false);
        var jit = await Repo.PublishAsync("jit", [], forcePublish, output).ConfigureAwait(false);
        var r2r = await Repo.PublishAsync("r2r", ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"], forcePublish, output).ConfigureAwait(false);
        output.WriteLine();

        var builds = new List<Build>();
        if (aot is not null) builds.Add(new Build("aot", "Native AOT bootstrap", Path.Combine(aot, "bootstrap"), []));
        if (jit is not null) builds.Add(new Build("jit", "JIT (dotnet SecurityAlexa.dll)", "dotnet", [Path.Combine(jit, "SecurityAlexa.dll")]));
        if (r2r is not null) builds.Add(new Build("r2r", "JIT + ReadyToRun", "dotnet", [Path.Combine(r2r, "SecurityAlexa.dll")]));
        if (builds.Count == 0)
        {
            output.WriteLine("No build could be published; skipping cold start.");
            return null;
        }

        var invocations = new[]
        {
            new Invocation("Launch", Payload(Repo.Event("launch.json"), null), "Security assistant here"),
            new Invocation("ScanResults prod", Payload(Repo.Event("scan-results.json"), ("Environment", "prod")), "vulnerabilit"),
        };

        using var endpoint = new FakeLambdaEndpoint(new FakeFleet(3));
        var env = Environment(endpoint);
        var samples = builds.SelectMany(b => invocations.Select(i => (b, i))).ToDictionary(p => p, _ => new List<Sample>());
        var failures = new List<string>();

        // One untimed start of each first: the binaries and the runtime come from the page cache after that.
        foreach (var b in builds)
        {
            var warm = await RunOnceAsync(endpoint, b, invocations[0], env).ConfigureAwait(false);
            if (warm.Failure is { } f) failures.Add($"{b.Name} warm-up: {f}");
        }

        // Interleaved, so that noise from other work on the machine falls on every build alike.
        for (var run = 0; run < runs; run++)
        {
            foreach (var inv in invocations)
            {
                foreach (var b in builds)
                {
                    var (sample, failure) = await RunOnceAsync(endpoint, b, inv, env).ConfigureAwait(false);
                    if (sample is not null) samples[(b, inv)].Add(sample);
                    if (failure is not null) failures.Add($"{b.Name} {inv.Name} run {run + 1}: {failure}");
                }
            }
            output.Write(run == 0 ? $"  runs: {run + 1}" : $" {run + 1}");
        }
        output.WriteLine();
        output.WriteLine();

        var table = new Table("build", "request", "n", "init (start to /next) median ms", "first response median ms", "p25-p75 ms", "min-max ms", "peak RSS MB", "AWS calls", "vs AOT (median)");
        var medians = new Dictionary<(string, string), double>();
        foreach (var inv in invocations)
        {
            foreach (var b in builds)
            {
                var list = samples[(b, inv)];
                var resp = new Stats(list.Select(s => s.ResponseMs));
                var init = new Stats(list.Select(s => s.InitMs));
                medians[(b.Name, inv.Name)] = resp.Median;
                var aotMedian = medians.GetValueOrDefault(("aot", inv.Name), double.NaN);
                table.Row(b.Label, inv.Name, list.Count, Format.Ms(init.Median), Format.Ms(resp.Median),
                    $"{Format.Ms(resp.Quantile(0.25))}-{Format.Ms(resp.Quantile(0.75))}", $"{Format.Ms(resp.Min)}-{Format.Ms(resp.Max)}",
                    list.Count == 0 ? "-" : (list.Max(s => s.PeakRssKb) / 1024.0).ToString("0", CultureInfo.InvariantCulture),
                    list.Count == 0 ? "-" : list[0].AwsCalls.ToString(CultureInfo.InvariantCulture),
                    b.Name == "aot" ? "1.0x" : Format.Ratio(resp.Median / aotMedian));
            }
        }
        output.Write(table);
        output.WriteLine();
        output.WriteLine("Measured: Stopwatch before Process.Start to the last byte of POST /runtime/invocation/{id}/response at the fake;");
        output.WriteLine("one untimed start per build first; builds interleaved run by run. Progressive responses are off (no apiAccessToken).");
        if (failures.Count > 0)
        {
            output.WriteLine("Failures:");
            foreach (var f in failures.Take(10)) output.WriteLine("  " + f);
        }
        output.WriteLine();

        double Median(string build) => medians.GetValueOrDefault((build, invocations[1].Name), double.NaN);
        return new Result(Median("aot"), Median("jit"), r2r is null ? null : Median("r2r"));
    }

    private static async Task<(Sample? Sample, string? Failure)> RunOnceAsync(FakeLambdaEndpoint endpoint, Build build, Invocation invocation, IReadOnlyDictionary<string, string> env)
    {
        var run = new ColdRun(invocation.Payload);
        endpoint.Begin(run);
        var info = new ProcessStartInfo(build.File)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Artifacts,
        };
        foreach (var a in build.Arguments) info.ArgumentList.Add(a);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
        foreach (var (k, v) in env) info.Environment[k] = v;

        var stderr = new StringBuilder();
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(run.Done.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        var rss = PeakRssKb(process);
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await process.WaitForExitAsync().ConfigureAwait(false);
        run.Done.TrySetResult();

        if (finished != run.Done.Task || run.ResponseAt is null)
        {
            var why = run.Error ?? (process.HasExited && finished != run.Done.Task ? $"exited with {process.ExitCode}" : "no response in 30 s");
            lock (stderr) return (null, why + " " + Last(stderr.ToString()));
        }
        if (run.Error is not null) return (null, run.Error);
        if (run.Response is null || !run.Response.Contains(invocation.Expect, StringComparison.OrdinalIgnoreCase))
            return (null, "unexpected response: " + Last(run.Response ?? ""));

        var init = Stopwatch.GetElapsedTime(started, run.NextAt ?? run.ResponseAt.Value).TotalMilliseconds;
        var response = Stopwatch.GetElapsedTime(started, run.ResponseAt.Value).TotalMilliseconds;
        return (new Sample(init, response, rss, run.AwsCalls), null);
    }

    // The environment Lambda would give, pointed at the fake: dummy credentials, no shared config, no IMDS.
    private static Dictionary<string, string> Environment(FakeLambdaEndpoint endpoint)
    {
        var none = Path.Combine(Repo.Artifacts, "no-such-aws-config");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = endpoint.HostPort,
            ["AWS_ENDPOINT_URL"] = "http://" + endpoint.HostPort,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDBENCHDUMMY000000",
            ["AWS_SECRET_ACCESS_KEY"] = "bench-dummy-secret-key",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_CONFIG_FILE"] = none,
            ["AWS_SHARED_CREDENTIALS_FILE"] = none,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "SecurityAlexa",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024",
            ["SKILL_ID"] = SkillId,
            ["SESSION_SIGNING_KEY"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-session-signing-key-0123456789")),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
    }

    /// <summary>A sample event with the tag slots filled and no progressive-response token, so nothing leaves the machine.</summary>
    public static byte[] Payload(string json, (string Key, string Value)? tag)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var system = root["context"]?["System"]?.AsObject();
        system?.Remove("apiAccessToken");
        system?.Remove("apiEndpoint");
        if (tag is { } t && root["request"]?["intent"]?["slots"] is JsonObject slots)
        {
            slots["TagKey"] = new JsonObject { ["name"] = "TagKey", ["value"] = t.Key, ["confirmationStatus"] = "NONE" };
            slots["TagValue"] = new JsonObject { ["name"] = "TagValue", ["value"] = t.Value, ["confirmationStatus"] = "NONE" };
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static long PeakRssKb(Process process)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    private static string Last(string text)
    {
        var t = text.Trim().ReplaceLineEndings(" ");
        return t.Length <= 300 ? t : "..." + t[^300..];
    }
}
