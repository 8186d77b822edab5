using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation;

/// <summary>Posting a result to the chat channel from a turn: a failure is logged and becomes one sentence, never an error.</summary>
internal static class IsolationChat
{
    /// <summary>Posts the text; returns the sentence to add when the post failed, or null.</summary>
    public static Task<Spoken?> PostAsync(TurnContext turn, IChatNotifier? chat, string? text) => ChatPost.PostAsync(turn, chat, text);
}
