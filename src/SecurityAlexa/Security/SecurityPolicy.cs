using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>Decides which requests the security rules for changes apply to.</summary>
public static class SecurityPolicy
{
    /// <summary>
    /// The agreed intents that change AWS. A handler for one of them that forgets to declare
    /// <see cref="IntentHandler.Mutates"/> is still treated as mutating.
    /// </summary>
    public static readonly IReadOnlySet<string> MutatingIntents = new HashSet<string>(StringComparer.Ordinal)
    {
        "ScanIntent", "EnableScanningIntent", "PatchIntent", "IsolateIntent", "ReleaseIntent",
    };

    /// <summary>The slot that carries the spoken security code; it never leaves the request that brought it.</summary>
    public const string SecurityCodeSlot = "SecurityCode";

    /// <summary>The slot in which the user says the number of instances back.</summary>
    public const string ConfirmCountSlot = "ConfirmCount";

    /// <summary>True when the turn can change the AWS account.</summary>
    public static bool IsMutating(TurnContext turn, IRequestHandler? handler)
    {
        if (turn.IntentRequest is null) return false;
        if (handler is IntentHandler { Mutates: true }) return true;
        return turn.IntentName is { } name && MutatingIntents.Contains(name);
    }
}
