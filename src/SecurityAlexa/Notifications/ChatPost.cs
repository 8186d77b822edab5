using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Notifications;

/// <summary>Posting what a turn did to the chat channel: a failure is logged and becomes one sentence, never an error.</summary>
internal static class ChatPost
{
    /// <summary>Who asked, as the chat shows it: the first characters of the speaker's (or account's) hash.</summary>
    public static string Speaker(TurnContext turn)
    {
        var who = turn.SpeakerHash ?? turn.UserHash ?? "unknown";
        return who.Length > 8 ? who[..8] : who;
    }

    /// <summary>Posts the text; returns the sentence to add when the post failed, or null.</summary>
    public static async Task<Spoken?> PostAsync(TurnContext turn, IChatNotifier? chat, string? text)
    {
        if (chat is null || text is null) return null;
        ChatDelivery delivery;
        try
        {
            delivery = await chat.NotifyAsync(new ChatMessage(text), turn.Cancellation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The action is done by now: a notifier that breaks its promise not to throw must not hide that.
            delivery = ChatDelivery.Failed(e.GetType().Name);
        }
        if (delivery.Delivered) return null;
        turn.Log.Warn("chat.failed", ("requestId", turn.RequestId), ("why", delivery.Failure));
        return turn.Lang.Say("chat.failed");
    }
}
