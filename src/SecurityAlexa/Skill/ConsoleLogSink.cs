namespace SecurityAlexa.Skill;

/// <summary>Writes each log line to stdout, which Lambda forwards to CloudWatch Logs.</summary>
internal sealed class ConsoleLogSink : ILogSink
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Write(string jsonLine)
    {
        lock (_gate) Console.Out.WriteLine(jsonLine);
    }
}
