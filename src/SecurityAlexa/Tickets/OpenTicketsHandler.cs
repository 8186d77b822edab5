using System.Globalization;
using System.Text;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tickets;

/// <summary>"What tickets are open?": the skill's open OpsItems, counted and the newest few read by title. Reads only.</summary>
internal sealed class OpenTicketsHandler(IncidentTickets tickets) : IntentHandler
{
    private const int Spoken = 3;

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["OpenTicketsIntent"];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var listed = await tickets.Desk.ListOpenAsync(turn.Cancellation).ConfigureAwait(false);
        var open = listed.Items;
        var again = lang.Say("isolate.anythingElse");
        if (open.Count == 0) return Reply.Ask(Skill.Speech.Spoken.Join(lang.Say("tickets.none"), again), again).Labelled("none");
        // READ_ACCESS=speakers: titles name instances, so a voice that may not change anything hears how many only.
        if (!ReadAccessCheck.MayHearNames(turn))
        {
            var counted = lang.Say("tickets.open.countOnly", ("count", lang.Count(open.Count, "ticket")));
            return Reply.Ask(Skill.Speech.Spoken.Join(counted, again), again).WithCard(lang.Text("tickets.card.title"), counted.Text)
                .Labelled("listed-counts");
        }
        var said = lang.Say(listed.More ? "tickets.open.atLeast" : "tickets.open", ("count", lang.Count(open.Count, "ticket")),
            // Titles are clipped when said (a long one would make a long answer); the card keeps them whole.
            ("titles", lang.List(open.Take(Spoken).Select(t => Lang.Clip(t.Title, Lang.MaxSpokenTitle)))));
        var card = new StringBuilder();
        foreach (var t in open)
            card.AppendLine(lang.Text("tickets.card.row", ("id", t.Id), ("title", t.Title), ("severity", t.Severity ?? "-"),
                ("created", t.Created?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "-")));
        return Reply.Ask(Skill.Speech.Spoken.Join(said, again), again)
            .WithCard(lang.Text("tickets.card.title"), card.ToString().TrimEnd()).Labelled("listed");
    }
}
