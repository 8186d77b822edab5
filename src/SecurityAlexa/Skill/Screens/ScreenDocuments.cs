using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecurityAlexa.Skill.Screens;

/// <summary>
/// The skill's APL documents: Screens/*.apl.json files beside the capability that draws them, embedded in
/// the assembly and loaded once per container. Each gets the shared style (Skill/Screens/style.json) merged
/// in, so every screen looks alike and no document repeats it.
/// </summary>
internal static class ScreenDocuments
{
    private const string Prefix = "screens/";
    private const string Suffix = ".apl.json";
    private const string StyleResource = "screens/style.json";

    private static readonly Lazy<Loaded> All = new(Load);

    /// <summary>The names of every document.</summary>
    public static IReadOnlyCollection<string> Names => All.Value.Documents.Keys;

    /// <summary>A document with the shared style merged in; an unknown name is a build defect.</summary>
    public static JsonElement Get(string name) =>
        All.Value.Documents.TryGetValue(name, out var document) ? document
            : throw new KeyNotFoundException($"No screen document '{name}'.");

    /// <summary>The colour of a tone ("critical", "failed", "ok", ...) from the shared style; the neutral colour for any other.</summary>
    public static string Tone(string tone) =>
        All.Value.Tones.TryGetValue(tone, out var color) ? color : All.Value.Tones.GetValueOrDefault("neutral", "#3B4853");

    /// <summary>Every tone the style defines.</summary>
    public static IReadOnlyDictionary<string, string> Tones => All.Value.Tones;

    private sealed record Loaded(Dictionary<string, JsonElement> Documents, Dictionary<string, string> Tones);

    private static Loaded Load()
    {
        var assembly = typeof(ScreenDocuments).Assembly;
        var style = Read(assembly, StyleResource) ?? throw new InvalidOperationException("The shared screen style is missing.");
        var tones = (style["tones"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);
        var documents = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || !resource.EndsWith(Suffix, StringComparison.Ordinal)) continue;
            var name = resource[Prefix.Length..^Suffix.Length];
            var document = Read(assembly, resource)!;
            Merge(document, style);
            using var parsed = JsonDocument.Parse(document.ToJsonString());
            if (!documents.TryAdd(name, parsed.RootElement.Clone()))
                throw new InvalidOperationException($"The screen document '{name}' is defined twice.");
        }
        return new Loaded(documents, tones);
    }

    // The shared resources come first, so a document may override one; shared styles never replace a document's own.
    private static void Merge(JsonObject document, JsonObject style)
    {
        var resources = new JsonArray();
        foreach (var r in style["resources"] as JsonArray ?? []) resources.Add(r?.DeepClone());
        foreach (var r in document["resources"] as JsonArray ?? []) resources.Add(r?.DeepClone());
        document["resources"] = resources;
        var styles = document["styles"] as JsonObject ?? [];
        foreach (var (key, value) in style["styles"] as JsonObject ?? [])
            if (!styles.ContainsKey(key)) styles[key] = value?.DeepClone();
        document["styles"] = styles.DeepClone();
    }

    private static JsonObject? Read(System.Reflection.Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource);
        return stream is null ? null
            : JsonNode.Parse(stream,
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject;
    }
}
