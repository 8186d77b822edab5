using SecurityAlexa.Skill;

namespace SecurityAlexa.Local;

/// <summary>Writes log lines to a text writer (stderr), keeping stdout for the response.</summary>
internal sealed class WriterLogSink(TextWriter writer) : ILogSink
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Write(string jsonLine)
    {
        lock (_gate) writer.WriteLine(jsonLine);
    }
}
