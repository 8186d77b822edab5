namespace SecurityAlexa.Skill;

/// <summary>Where structured log lines go: stdout in Lambda (CloudWatch), a list in tests.</summary>
internal interface ILogSink
{
    /// <summary>Writes one complete JSON log line.</summary>
    void Write(string jsonLine);
}
