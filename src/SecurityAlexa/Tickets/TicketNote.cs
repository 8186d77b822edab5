using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tickets;

/// <summary>How ticketing an action went: the OpsItem id, or a failure to say; never an error.</summary>
internal sealed record TicketNote(string? Id, bool Created, bool Failed)
{
    /// <summary>Tickets are off, or nothing was worth a ticket.</summary>
    public static TicketNote None { get; } = new(null, false, false);

    /// <summary>The ticket could not be opened or updated.</summary>
    public static TicketNote Failure { get; } = new(null, false, true);

    /// <summary>
    /// The sentence to add to the answer: the failure, plainly; nothing otherwise (the id is on the card and in the chat).
    /// </summary>
    public Spoken? Speech(Lang lang) => Failed ? lang.Say("ticket.failed") : null;

    /// <summary>
    /// True when the action was in another account or region than the skill's own: the OpsItem is still in the skill's own
    /// account's OpsCenter, and the line says so, so nobody looks for it in the account the instances are in.
    /// </summary>
    public bool Away { get; init; }

    /// <summary>The line for the card and the chat post, or null.</summary>
    public string? Line(Lang lang) => Failed ? lang.Text("ticket.line.failed")
        : Id is null ? null : lang.Text((Created ? "ticket.line.opened" : "ticket.line.updated") + (Away ? ".home" : ""), ("id", Id));

    /// <summary>The text with the ticket's line appended (for a card or a chat post); no text stays no text.</summary>
    public string? AppendTo(string? text, Lang lang) => text is null || Line(lang) is not { } line ? text : text.TrimEnd() + "\n" + line;
}
