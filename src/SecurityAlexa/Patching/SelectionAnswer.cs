namespace SecurityAlexa.Patching;

/// <summary>What the answer to "which ones should I patch?" meant.</summary>
internal abstract record SelectionAnswer
{
    private SelectionAnswer() { }

    /// <summary>"All of them".</summary>
    public sealed record All : SelectionAnswer;

    /// <summary>"None", "nothing".</summary>
    public sealed record None : SelectionAnswer;

    /// <summary>"Just web-1" / "web-1 and web-2".</summary>
    public sealed record Only(string Heard) : SelectionAnswer;

    /// <summary>"All except db-1".</summary>
    public sealed record Except(string Heard) : SelectionAnswer;

    /// <summary>Words that fit none of the above.</summary>
    public sealed record Unclear : SelectionAnswer;
}
