using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Patching;

/// <summary>
/// What <see cref="PatchSender"/> did: the commands that went out (or were found to have gone out), and why it stopped
/// early, if it did: a reference the state table would not take, SSM refusing, or a command whose outcome is unknown.
/// </summary>
internal sealed record PatchSendResult(IReadOnlyList<(string CommandId, PatchCommandTarget Target)> Sent)
{
    /// <summary>The command ids sent, in order.</summary>
    public IReadOnlyList<string> CommandIds => Sent.Select(s => s.CommandId).ToList();

    /// <summary>Set when the next command's reference could not be written first: that command and the rest were not sent.</summary>
    public AwsCallException? NotRecorded { get; init; }

    /// <summary>Set when too little of the turn was left to start the next command: it and the rest were not sent.</summary>
    public bool Late { get; init; }

    /// <summary>Set when SSM refused a command: it and the rest were not sent.</summary>
    public AwsCallException? Refused { get; init; }

    /// <summary>The command that may or may not have been accepted; the rest were not sent.</summary>
    public PatchCommandTarget? Unknown { get; init; }

    /// <summary>The comment of the unknown command, by which it is looked up later.</summary>
    public string UnknownComment { get; init; } = "";

    /// <summary>The sentence that says why the outcome is unknown (a time-out, an unclear failure, another request sending it).</summary>
    public string UnknownSpeechKey { get; init; } = "";

    /// <summary>The failure behind the unknown outcome, for the audit record, the log and the chat.</summary>
    public string UnknownError { get; init; } = "";

    /// <summary>The state-table writes that record the command ids; awaited alongside the chat post, not before it.</summary>
    public Task Recorded { get; init; } = Task.CompletedTask;
}
