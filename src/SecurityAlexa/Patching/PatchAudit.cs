using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>The structured audit record every patching decision writes: who, what, on which instances, with what result.</summary>
public static class PatchAudit
{
    /// <summary>Writes one audit record.</summary>
    public static void Write(
        TurnContext turn,
        string action,
        string outcome,
        IEnumerable<string>? targets = null,
        IEnumerable<string>? skipped = null,
        IEnumerable<string>? commandIds = null,
        string? reference = null,
        string? error = null)
    {
        turn.Log.Info("audit",
            ("capability", "patch"),
            ("action", action),
            ("intent", turn.IntentName),
            ("requestId", turn.RequestId),
            ("speakerHash", turn.SpeakerHash),
            ("userHash", turn.UserHash),
            ("targets", targets?.ToList() ?? new List<string>()),
            ("skipped", skipped?.ToList()),
            ("commandIds", commandIds?.ToList()),
            ("ref", reference),
            ("outcome", outcome),
            ("error", error));
    }
}
