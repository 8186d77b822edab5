using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SecurityAlexa.Bench.Fakes;

namespace SecurityAlexa.Bench.ColdStart;

/// <summary>
/// Cold start, locally: fresh processes of the floor (a bare Native AOT runtime loop), the Native AOT bootstrap,
/// the JIT build and the JIT build with ReadyToRun, each served one invocation by <see cref="FakeLambdaEndpoint"/>;
/// time from process start to the whole response received, and every figure as a ratio to the floor's median in
/// the same run. The scan-results invocation builds the EC2 client and the inspector2 client and runs every
/// serializer the skill uses, as Lambda's first request would.
/// </summary>
internal static class ColdStartBench
{
    public const string SkillId = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000";

    /// <summary>The speaker in the sample events.</summary>
    public const string PersonId = "amzn1.ask.person.SAMPLEPERSON";

    /// <summary>The sample events' Alexa account, which the bench's function serves (ALLOWED_USERS).</summary>
    public const string UserId = "amzn1.ask.account.SAMPLEUSER";

    private sealed record Build(string Name, string Label, string File, string[] Arguments)
    {
        public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

        /// <summary>What the response must contain, when not the invocation's own expectation (the floor's fixed answer).</summary>
        public string? Expect { get; init; }
    }

    private sealed record Invocation(string Name, byte[] Payload, string Expect)
    {
        public Func<byte[]> Fresh { get; init; } = () => Payload;
    }

    private sealed record Sample(double InitMs, double ResponseMs, double? HandlerMs, double CpuMs, long PeakRssKb, int AwsCalls,
        IReadOnlyList<string> Unanswered);

    /// <summary>The medians this section found, for the targets summary; NaN where a build was not run.</summary>
    public sealed record Result(double AotMedianMs, double JitMedianMs, double? R2rMedianMs)
    {
        /// <summary>The floor's median over every run of this section (it answers every request alike).</summary>
        public double FloorMedianMs { get; init; } = double.NaN;

        /// <summary>The AOT bootstrap's median per request name.</summary>
        public IReadOnlyDictionary<string, double> AotByRequest { get; init; } = new Dictionary<string, double>();

        /// <summary>The same in CPU time (all threads), which a busy machine disturbs far less than wall time.</summary>
        public double FloorCpuMs { get; init; } = double.NaN;

        public IReadOnlyDictionary<string, double> AotCpuByRequest { get; init; } = new Dictionary<string, double>();

        /// <summary>The 1-minute load average when the section started and ended.</summary>
        public double LoadAtStart { get; init; }

        public double LoadAtEnd { get; init; }

        /// <summary>The sizes of the published binaries, in bytes (0 when not published).</summary>
        public long AotBytes { get; init; }

        public long FloorBytes { get; init; }
    }

    /// <summary>The request names, as the targets refer to them.</summary>
    public const string Launch = "Launch", Help = "Help", ScanResults = "ScanResults prod", IsolateReadBack = "Isolate web-1 (read-back)";

    /// <summary>What the floor answers, whatever it is asked.</summary>
    public const string FloorAnswer = "The floor answers.";

    public static async Task<Result?> RunAsync(int runs, bool forcePublish, IReadOnlySet<string> only, TextWriter output)
    {
        output.WriteLine("## Cold start (fresh process to first response, local fake Runtime API)");
        output.WriteLine();
        output.WriteLine("Publishing (skipped when up to date; a Native AOT publish takes minutes on this machine):");
        // A build may carry environment overrides, to compare runtime settings in one interleaved run (aot+DOTNET_gcConcurrent=0),
        // or come from another folder, to compare with an earlier publish (aot@artifacts/bench/aot-before).
        var variants = only.Where(b => b.Contains('+', StringComparison.Ordinal)).ToList();
        var elsewhere = only.Where(b => b.Contains('@', StringComparison.Ordinal)).ToList();
        bool Wanted(string name) => only.Count == 0 || only.Contains(name) || variants.Concat(elsewhere).Any(v => v.StartsWith(name + "+", StringComparison.Ordinal) || v.StartsWith(name + "@", StringComparison.Ordinal));
        var aot = Wanted("aot") ? await Repo.PublishAsync("aot", ["-r", "linux-x64", "-p:PublishAot=true", "-p:IlcGenerateMapFile=true"], forcePublish, output).ConfigureAwait(false) : null;
        // The floor comes with every AOT run: the cold-start targets are ratios to it, measured in the same run.
        var floor = Wanted("floor") || aot is not null
            ? await Repo.PublishAsync("floor", ["-r", "linux-x64", "-p:PublishAot=true"], forcePublish, output, Repo.FloorProject).ConfigureAwait(false)
            : null;
        var jit = Wanted("jit") ? await Repo.PublishAsync("jit", [], forcePublish, output).ConfigureAwait(false) : null;
        var r2r = Wanted("r2r") ? await Repo.PublishAsync("r2r", ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"], forcePublish, output).ConfigureAwait(false) : null;
        output.WriteLine();

        var builds = new List<Build>();
        if (floor is not null) builds.Add(new Build("floor", "Floor (bare AOT runtime loop)", Path.Combine(floor, "SecurityAlexa.Floor"), []) { Expect = FloorAnswer });
        if (aot is not null) builds.Add(new Build("aot", "Native AOT bootstrap", Path.Combine(aot, "bootstrap"), []));
        if (jit is not null) builds.Add(new Build("jit", "JIT (dotnet SecurityAlexa.dll)", "dotnet", [Path.Combine(jit, "SecurityAlexa.dll")]));
        if (r2r is not null) builds.Add(new Build("r2r", "JIT + ReadyToRun", "dotnet", [Path.Combine(r2r, "SecurityAlexa.dll")]));
        foreach (var variant in variants)
        {
            var parts = variant.Split('+');
            if (builds.FirstOrDefault(b => b.Name == parts[0]) is not { } baseBuild) continue;
            var overrides = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            builds.Add(baseBuild with { Name = variant, Label = $"{baseBuild.Label} + {string.Join(' ', parts.Skip(1))}", Env = overrides });
        }
        foreach (var spec in elsewhere)
        {
            var parts = spec.Split('@', 2);
            if (builds.FirstOrDefault(b => b.Name == parts[0]) is not { } baseBuild) continue;
            var dir = Path.GetFullPath(parts[1], Repo.Root);
            builds.Add(baseBuild with
            {
                Name = spec,
                Label = $"{baseBuild.Label} ({Repo.Relative(dir)})",
                File = baseBuild.Name == "aot" ? Path.Combine(dir, "bootstrap") : baseBuild.File,
                Arguments = baseBuild.Name == "aot" ? [] : [Path.Combine(dir, "SecurityAlexa.dll")],
            });
        }
        if (only.Count > 0) builds.RemoveAll(b => b.Name != "floor" && !only.Contains(b.Name));
        if (builds.Count == 0)
        {
            output.WriteLine("No build could be published; skipping cold start.");
            return null;
        }

        var invocations = new[]
        {
            new Invocation(Launch, Payload(Repo.Event("launch.json"), null), "Security assistant here") { Fresh = () => Payload(Repo.Event("launch.json"), null) },
            new Invocation(Help, Payload(Repo.Event("help.json"), null), "scan") { Fresh = () => Payload(Repo.Event("help.json"), null) },
            new Invocation(ScanResults, Payload(Repo.Event("scan-results.json"), ("Environment", "prod")), "vulnerabilit")
            {
                Fresh = () => Payload(Repo.Event("scan-results.json"), ("Environment", "prod")),
            },
            // A change, up to its read-back: resolves the name over EC2 and claims the request id in Parameter Store.
            new Invocation(IsolateReadBack, Payload(Repo.Event("isolate-web-1.json"), null), "Shall I go ahead") { Fresh = () => Payload(Repo.Event("isolate-web-1.json"), null) },
        };

        var loadAtStart = Machine.Load1();
        using var endpoint = new FakeLambdaEndpoint(new FakeFleet(3));
        var env = Environment(endpoint);
        var samples = builds.SelectMany(b => invocations.Select(i => (b, i))).ToDictionary(p => p, _ => new List<Sample>());
        var failures = new List<string>();

        // One untimed start of each first: the binaries and the runtime come from the page cache after that.
        foreach (var b in builds)
        {
            var warm = await RunOnceAsync(endpoint, b, invocations[0] with { Payload = invocations[0].Fresh() }, env).ConfigureAwait(false);
            if (warm.Failure is { } f) failures.Add($"{b.Name} warm-up: {f}");
        }

        // Interleaved, so that noise from other work on the machine falls on every build alike.
        for (var run = 0; run < runs; run++)
        {
            foreach (var template in invocations)
            {
                // Stamped now, each run: a slow run must not age the request past the security layer's 150 s.
                var inv = template with { Payload = template.Fresh() };
                foreach (var b in builds)
                {
                    var (sample, failure) = await RunOnceAsync(endpoint, b, inv, env).ConfigureAwait(false);
                    if (sample is not null) samples[(b, template)].Add(sample);
                    if (failure is not null) failures.Add($"{b.Name} {inv.Name} run {run + 1}: {failure}");
                }
            }
            output.Write(run == 0 ? $"  runs: {run + 1}" : $" {run + 1}");
        }
        output.WriteLine();
        output.WriteLine();

        var floorSamples = builds.Where(b => b.Name == "floor").SelectMany(b => invocations.SelectMany(i => samples[(b, i)])).ToList();
        var floorAll = new Stats(floorSamples.Select(s => s.ResponseMs));
        var floorCpu = new Stats(floorSamples.Select(s => s.CpuMs));
        var cpuMedians = new Dictionary<(string, string), double>();
        var table = new Table("build", "request", "n", "first response median ms", "p25-p75 ms", "min-max ms", "vs floor (median)", "CPU vs floor", "vs AOT (median)", "init to /next ms", "pipeline ms (skill log)", "CPU ms (all threads)", "peak RSS MB", "AWS calls");
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
                var handler = new Stats(list.Where(x => x.HandlerMs is not null).Select(x => x.HandlerMs!.Value));
                var cpu = new Stats(list.Select(x => x.CpuMs));
                cpuMedians[(b.Name, inv.Name)] = cpu.Median;
                table.Row(b.Label, inv.Name, list.Count, Format.Ms(resp.Median),
                    $"{Format.Ms(resp.Quantile(0.25))}-{Format.Ms(resp.Quantile(0.75))}", $"{Format.Ms(resp.Min)}-{Format.Ms(resp.Max)}",
                    Format.Ratio(resp.Median / floorAll.Median), Format.Ratio(cpu.Median / floorCpu.Median),
                    b.Name == "aot" ? "1.0x" : Format.Ratio(resp.Median / aotMedian),
                    Format.Ms(init.Median), handler.Count == 0 ? "-" : Format.Ms(handler.Median), Format.Ms(new Stats(list.Select(x => x.CpuMs)).Median),
                    list.Count == 0 ? "-" : (list.Max(x => x.PeakRssKb) / 1024.0).ToString("0", CultureInfo.InvariantCulture),
                    list.Count == 0 ? "-" : list[0].AwsCalls.ToString(CultureInfo.InvariantCulture));
            }
        }
        output.Write(table);
        output.WriteLine();
        output.WriteLine("Measured: Stopwatch before Process.Start to the last byte of POST /runtime/invocation/{id}/response at the fake;");
        output.WriteLine("one untimed start per build first; builds interleaved run by run. Progressive responses are off (no apiAccessToken).");
        if (floorAll.Count > 0)
            output.WriteLine($"The floor (GET next, read the event, POST a fixed answer; no JSON, no SDK): median {Format.Ms(floorAll.Median)} ms and {Format.Ms(floorCpu.Median)} ms of CPU over all {floorAll.Count} of its starts; \"vs floor\" and \"CPU vs floor\" divide by them.");
        // An unanswered call makes the skill take an error path (an exception, a retry): the run would not measure the request.
        var unanswered = builds.SelectMany(b => invocations.SelectMany(i => samples[(b, i)].SelectMany(s => s.Unanswered)
            .Select(u => $"{b.Name} {i.Name}: {u}"))).Distinct().ToList();
        if (unanswered.Count > 0)
        {
            output.WriteLine("AWS calls the fake did not answer (those runs measured an error path):");
            foreach (var u in unanswered.Take(10)) output.WriteLine("  " + u);
        }
        if (failures.Count > 0)
        {
            output.WriteLine("Failures:");
            foreach (var f in failures.Take(10)) output.WriteLine("  " + f);
        }
        output.WriteLine();

        double Median(string build) => medians.GetValueOrDefault((build, ScanResults), double.NaN);
        var sizes = BinarySize.Report(aot, floor, output);
        return new Result(Median("aot"), Median("jit"), r2r is null ? null : Median("r2r"))
        {
            FloorMedianMs = floorAll.Count == 0 ? double.NaN : floorAll.Median,
            AotByRequest = invocations.ToDictionary(i => i.Name, i => medians.GetValueOrDefault(("aot", i.Name), double.NaN)),
            FloorCpuMs = floorCpu.Count == 0 ? double.NaN : floorCpu.Median,
            AotCpuByRequest = invocations.ToDictionary(i => i.Name, i => cpuMedians.GetValueOrDefault(("aot", i.Name), double.NaN)),
            LoadAtStart = loadAtStart,
            LoadAtEnd = Machine.Load1(),
            AotBytes = sizes.Aot,
            FloorBytes = sizes.Floor,
        };
    }

    private static async Task<(Sample? Sample, string? Failure)> RunOnceAsync(FakeLambdaEndpoint endpoint, Build build, Invocation invocation, IReadOnlyDictionary<string, string> env)
    {
        var run = new ColdRun(invocation.Payload);
        endpoint.Begin(run);
        // BENCH_COLD_PREFIX wraps each start in a tool (strace, perf record) when looking into where the time goes.
        var prefix = (System.Environment.GetEnvironmentVariable("BENCH_COLD_PREFIX") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var info = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : build.File)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Artifacts,
        };
        if (prefix.Length > 0)
        {
            foreach (var a in prefix.Skip(1)) info.ArgumentList.Add(a);
            info.ArgumentList.Add(build.File);
        }
        foreach (var a in build.Arguments) info.ArgumentList.Add(a);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
        foreach (var (k, v) in env) info.Environment[k] = v;
        foreach (var (k, v) in build.Env) info.Environment[k] = v;

        var stderr = new StringBuilder();
        double? handlerMs = null;
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        // The skill's own log line for the invocation says how long the pipeline took, which splits the total.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Contains("\"kind\":\"invocation\"", StringComparison.Ordinal)
                && JsonNode.Parse(line)?["durationMs"] is { } d)
                handlerMs = d.GetValue<double>();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(run.Done.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        var rss = PeakRssKb(process);
        var cpu = CpuMs(process);
        // A wrapping tool must see its child exit (the fake's refused second /next ends it), to write its output.
        if (prefix.Length > 0) await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await process.WaitForExitAsync().ConfigureAwait(false);
        run.Done.TrySetResult();

        if (finished != run.Done.Task || run.ResponseAt is null)
        {
            var why = run.Error ?? (process.HasExited && finished != run.Done.Task ? $"exited with {process.ExitCode}" : "no response in 30 s");
            lock (stderr) return (null, why + " " + Last(stderr.ToString()));
        }
        if (run.Error is not null) return (null, run.Error);
        if (run.Response is null || !run.Response.Contains(build.Expect ?? invocation.Expect, StringComparison.OrdinalIgnoreCase))
        {
            // The whole answer, for looking into it; the report gets its speech.
            Directory.CreateDirectory(Path.Combine(Repo.Artifacts, "logs"));
            await File.WriteAllTextAsync(Path.Combine(Repo.Artifacts, "logs", "cold-unexpected.json"), run.Response ?? "").ConfigureAwait(false);
            var speech = run.Response is null ? "" : JsonNode.Parse(run.Response)?["response"]?["outputSpeech"]?["ssml"]?.ToString() ?? run.Response;
            return (null, "unexpected response: " + Last(speech));
        }

        var init = Stopwatch.GetElapsedTime(started, run.NextAt ?? run.ResponseAt.Value).TotalMilliseconds;
        var response = Stopwatch.GetElapsedTime(started, run.ResponseAt.Value).TotalMilliseconds;
        return (new Sample(init, response, handlerMs, cpu, rss, run.AwsCalls, [.. run.Unanswered]), null);
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
            // Without a state table every change fails closed (State/MissingStateTable), so the read-back needs one.
            ["STATE_TABLE"] = "SecurityAlexaBenchState",
            // The sample events' speaker may make changes, so that a change gets as far as its read-back.
            ["ALLOWED_SPEAKERS"] = SecurityAlexa.Security.IdentityHash.Of(PersonId)!,
            ["ALLOWED_USERS"] = SecurityAlexa.Security.IdentityHash.Of(UserId)!,
            ["SESSION_SIGNING_KEY"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-session-signing-key-0123456789")),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
    }

    /// <summary>A sample event with the tag slots filled and no progressive-response token, so nothing leaves the machine.</summary>
    public static byte[] Payload(string json, (string Key, string Value)? tag)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        // Fresh, as Alexa sends it: the security layer refuses requests older than 150 s.
        if (root["request"] is JsonObject request) request["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
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

    // CPU time used so far by every live thread (schedstat, in ns): steadier than wall time on a busy machine.
    private static double CpuMs(Process process)
    {
        double ns = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{process.Id}/task"))
            {
                var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                ns += double.Parse(fields[0], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return ns / 1e6;
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
