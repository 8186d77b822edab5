using System.Diagnostics;

namespace SecurityAlexa.Bench;

/// <summary>Finds the repository and publishes the function builds the cold-start runs start.</summary>
internal static class Repo
{
    /// <summary>The directory holding SecurityAlexa.sln, searched upwards from the working directory and the runner's own folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where the runner keeps its publishes and logs (ignored by git).</summary>
    public static string Artifacts => Path.Combine(Root, "artifacts", "bench");

    /// <summary>A sample request from events/.</summary>
    public static string Event(string name) => File.ReadAllText(Path.Combine(Root, "events", name));

    /// <summary>
    /// Publishes src/SecurityAlexa unless the last publish is newer than every input. Each build kind has its own
    /// artifacts path, so the three publishes (and the developer's own builds) never rebuild each other's obj folders.
    /// </summary>
    public static async Task<string?> PublishAsync(string kind, IReadOnlyList<string> extraArguments, bool force, TextWriter log, string project = SkillProject)
    {
        var output = Path.Combine(Artifacts, kind);
        var stamp = Path.Combine(output, ".published");
        if (!force && File.Exists(stamp) && File.GetLastWriteTimeUtc(stamp) > NewestInput(Path.GetDirectoryName(project)!))
        {
            log.WriteLine($"  {kind}: up to date ({Relative(output)})");
            return output;
        }

        Directory.CreateDirectory(Path.Combine(Artifacts, "logs"));
        var logFile = Path.Combine(Artifacts, "logs", $"publish-{kind}.log");
        var arguments = new List<string>
        {
            "publish", Path.Combine(Root, project),
            "-c", "Release", "-o", output, "--artifacts-path", Path.Combine(Artifacts, "build-" + kind), "-nologo",
        };
        arguments.AddRange(extraArguments);
        log.WriteLine($"  {kind}: dotnet {string.Join(' ', arguments.Skip(1).Select(a => a.StartsWith(Root, StringComparison.Ordinal) ? Relative(a) : a))}");
        var started = Stopwatch.GetTimestamp();
        var startedAt = DateTime.UtcNow;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        await File.WriteAllTextAsync(logFile, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false)).ConfigureAwait(false);
        var took = Stopwatch.GetElapsedTime(started);
        if (process.ExitCode != 0)
        {
            log.WriteLine($"  {kind}: publish FAILED after {took.TotalSeconds:F0} s, see {Relative(logFile)}");
            return null;
        }
        // Stamped with the start time, so a source edited while the publish ran makes it stale.
        await File.WriteAllTextAsync(stamp, startedAt.ToString("O")).ConfigureAwait(false);
        File.SetLastWriteTimeUtc(stamp, startedAt);
        log.WriteLine($"  {kind}: published in {took.TotalSeconds:F0} s");
        return output;
    }

    /// <summary>A path relative to the repository root, for printing.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path);

    /// <summary>The function's project, relative to the root.</summary>
    public const string SkillProject = "src/SecurityAlexa/SecurityAlexa.csproj";

    /// <summary>The floor program's project (a bare AOT custom runtime), relative to the root.</summary>
    public const string FloorProject = "bench/SecurityAlexa.Floor/SecurityAlexa.Floor.csproj";

    // The newest source, resource or build setting the project is built from.
    private static DateTime NewestInput(string projectDirectory)
    {
        var source = Path.Combine(Root, projectDirectory);
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Select(f => Path.Combine(Root, f)).Where(File.Exists));
        return files.Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SecurityAlexa.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the bench from inside the SecurityAlexa repository (SecurityAlexa.sln not found).");
    }
}
