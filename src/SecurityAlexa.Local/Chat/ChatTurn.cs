using System.Text.Json.Nodes;

namespace SecurityAlexa.Local.Chat;

/// <summary>What Alexa said and showed for one thing the user said.</summary>
internal sealed record ChatTurn(IReadOnlyList<string> Speech, IReadOnlyList<(string Title, string Text)> Cards, bool SessionEnded,
    IReadOnlyList<JsonObject> Requests)
{
    /// <summary>The screens sent (RenderDocument directives), described as "(screen: scanResults, 3 items)".</summary>
    public IReadOnlyList<string> Screens { get; init; } = [];

    /// <summary>Everything Alexa said and showed, as one text (for expectations in scripts).</summary>
    public string AllText => string.Join("\n", Speech.Concat(Cards.Select(c => c.Title + "\n" + c.Text)).Concat(Screens));
}
