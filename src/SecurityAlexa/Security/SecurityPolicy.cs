using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>Decides which requests the security rules for changes apply to.</summary>
internal static class SecurityPolicy
{
    /// <summary>The slot that carries the spoken security code; it never leaves the request that brought it.</summary>
    public const string SecurityCodeSlot = "SecurityCode";

    /// <summary>The slot in which the user says the number of instances back.</summary>
    public const string ConfirmCountSlot = "ConfirmCount";

    /// <summary>True when the turn can change the AWS account.</summary>
    public static bool IsMutating(TurnContext turn, IRequestHandler? handler)
    {
        // Declared once, on the handler: every intent that changes AWS derives from ConfirmedIntentHandler.
        return turn.IntentRequest is not null && handler is IntentHandler { Mutates: true };
    }
}
