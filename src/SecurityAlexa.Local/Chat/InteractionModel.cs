using System.Text.Json.Nodes;

namespace SecurityAlexa.Local.Chat;

/// <summary>The parts of an Alexa interaction model the chat needs: intents, samples, slot types, dialog rules and prompts.</summary>
internal sealed class InteractionModel
{
    private readonly Dictionary<string, ModelIntent> _intents;

    private InteractionModel(string invocationName, List<ModelIntent> intents, Dictionary<string, ModelSlotType> types,
        Dictionary<string, DialogIntent> dialog, Dictionary<string, IReadOnlyList<string>> prompts)
    {
        InvocationName = invocationName;
        Intents = intents;
        _intents = intents.ToDictionary(i => i.Name, StringComparer.Ordinal);
        Types = types;
        Dialog = dialog;
        Prompts = prompts;
    }

    /// <summary>The words that open the skill ("security assistant").</summary>
    public string InvocationName { get; }

    /// <summary>Every intent, in model order.</summary>
    public IReadOnlyList<ModelIntent> Intents { get; }

    /// <summary>Custom slot types by name.</summary>
    public IReadOnlyDictionary<string, ModelSlotType> Types { get; }

    /// <summary>Dialog rules by intent name.</summary>
    public IReadOnlyDictionary<string, DialogIntent> Dialog { get; }

    /// <summary>Prompt variations by prompt id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Prompts { get; }

    /// <summary>The intent with this name, or null.</summary>
    public ModelIntent? Intent(string name) => _intents.GetValueOrDefault(name);

    /// <summary>Reads a model file (skill-package/interactionModels/custom/en-US.json).</summary>
    public static InteractionModel Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads a model from its JSON text.</summary>
    public static InteractionModel Parse(string json)
    {
        var root = JsonNode.Parse(json)?["interactionModel"]
            ?? throw new FormatException("Not an interaction model: no interactionModel object.");
        var language = root["languageModel"] ?? throw new FormatException("The interaction model has no languageModel.");

        var intents = new List<ModelIntent>();
        foreach (var intent in Array(language["intents"]))
        {
            var slots = Array(intent?["slots"])
                .Select(s => new ModelSlot(Text(s?["name"]), Text(s?["type"]), Strings(s?["samples"])))
                .ToList();
            intents.Add(new ModelIntent(Text(intent?["name"]), slots, Strings(intent?["samples"])));
        }

        var types = new Dictionary<string, ModelSlotType>(StringComparer.Ordinal);
        foreach (var type in Array(language["types"]))
        {
            var values = Array(type?["values"])
                .Select(v => new ModelSlotValue((string?)v?["id"], Text(v?["name"]?["value"]), Strings(v?["name"]?["synonyms"])))
                .ToList();
            types[Text(type?["name"])] = new ModelSlotType(Text(type?["name"]), values);
        }

        var dialog = new Dictionary<string, DialogIntent>(StringComparer.Ordinal);
        foreach (var intent in Array(root["dialog"]?["intents"]))
        {
            var slots = Array(intent?["slots"]).Select(s => new DialogSlot(
                Text(s?["name"]),
                (bool?)s?["elicitationRequired"] ?? false,
                (string?)s?["prompts"]?["elicitation"])).ToList();
            dialog[Text(intent?["name"])] = new DialogIntent(
                Text(intent?["name"]),
                (bool?)intent?["confirmationRequired"] ?? false,
                (string?)intent?["prompts"]?["confirmation"],
                slots);
        }

        var prompts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var prompt in Array(root["prompts"]))
            prompts[Text(prompt?["id"])] = Array(prompt?["variations"]).Select(v => Text(v?["value"])).ToList();

        return new InteractionModel(Text(language["invocationName"]), intents, types, dialog, prompts);
    }

    private static IEnumerable<JsonNode?> Array(JsonNode? node) => node as JsonArray ?? [];

    private static IReadOnlyList<string> Strings(JsonNode? node) => Array(node).Select(Text).Where(s => s.Length > 0).ToList();

    private static string Text(JsonNode? node) => (string?)node ?? "";
}
