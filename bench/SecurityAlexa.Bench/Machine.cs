namespace SecurityAlexa.Bench;

/// <summary>What the figures were measured on, read from /proc.</summary>
internal static class Machine
{
    public static string CpuModel() =>
        Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    /// <summary>The 1-minute load average (NaN when unknown).</summary>
    public static double Load1() =>
        double.TryParse((Read("/proc/loadavg") ?? "").Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    public static string LoadAverage() => string.Join(' ', (Read("/proc/loadavg") ?? "?").Split(' ').Take(3));

    public static string MemoryGb()
    {
        var line = Read("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is not null && long.TryParse(line[9..].Trim().Split(' ')[0], out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GB RAM" : "? GB RAM";
    }

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
