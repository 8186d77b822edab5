using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests;

/// <summary>Keeps log lines in memory, for tests to read back.</summary>
public sealed class MemoryLogSink : ILogSink
{
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    /// <summary>The lines written so far.</summary>
    public IReadOnlyList<string> Lines { get { lock (_gate) return _lines.ToList(); } }

    /// <inheritdoc />
    public void Write(string jsonLine) { lock (_gate) _lines.Add(jsonLine); }
}
