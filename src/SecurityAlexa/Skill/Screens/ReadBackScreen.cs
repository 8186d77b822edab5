using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill.Screens;

/// <summary>
/// The screen beside a read-back: the list a yes will act on. The rows come from the pending action itself
/// (the ids the confirmation is bound to), so the screen cannot show anything other than what will change;
/// the handler only lends names and a line of detail.
/// </summary>
internal static class ReadBackScreen
{
    /// <summary>The document's name.</summary>
    public const string Document = "readBack";

    /// <summary>Adds the read-back screen to a reply made by <see cref="Confirmation.Ask"/>.</summary>
    public static Reply Show(TurnContext turn, Reply reply, IEnumerable<ScreenRow> known) =>
        Screen.Show(turn, reply, Document, () => Data(turn, reply, known));

    /// <summary>The data source: the pending ids in order, named from the rows given.</summary>
    public static ScreenData? Data(TurnContext turn, Reply reply, IEnumerable<ScreenRow> known)
    {
        if (turn.State.Pending is not { Size: > 0 } pending) return null;
        var lang = turn.Lang;
        var rows = known.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var badgeKey = "screen.readBack.badge." + pending.Kind;
        var badge = lang.Text(lang.Has(badgeKey) ? badgeKey : "screen.readBack.badge");
        var color = ScreenDocuments.Tone("changing");
        var items = pending.InstanceIds.Take(Screen.MaxRows).Select(id => rows.TryGetValue(id, out var row)
                ? new ScreenItem { Id = id, Title = row.Name, Detail = row.Detail ?? id, Badge = badge, Color = color }
                : new ScreenItem { Id = id, Title = id, Detail = id, Badge = badge, Color = color })
            .ToList();
        return new ScreenData
        {
            Title = lang.Text("screen.readBack.title"),
            Summary = reply.Speech.Text,
            ListTitle = lang.Text("screen.readBack.list"),
            Items = items,
            More = Screen.More(lang, pending.Size, items.Count),
            Hint = pending.CountToSayBack is { } count
                ? lang.Text("screen.readBack.hintCount", ("count", count))
                : lang.Text("screen.readBack.hintYes"),
        };
    }
}
