using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityAlexa.Alexa;
using SecurityAlexa.Isolation.Screens;
using SecurityAlexa.Patching.Screens;
using SecurityAlexa.Scanning;
using SecurityAlexa.Scanning.Screens;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tests.Screens;

/// <summary>
/// Every embedded APL document, checked for structure: known component and command types, styles and resources that
/// exist, text only from bound data (so each locale's words come from its catalogue), and every bound data path present
/// in the data source the skill sends.
/// </summary>
public sealed partial class ScreenDocumentTests
{
    private static readonly FrozenSet<string> Components = new[]
    {
        "Container", "Frame", "Text", "Sequence", "ScrollView", "TouchWrapper", "Image", "VectorGraphic", "Pager", "GridSequence", "EditText", "Video",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Commands = new[] { "SendEvent" }.ToFrozenSet(StringComparer.Ordinal);

    // Properties that hold child components, and properties that hold commands.
    private static readonly string[] ChildProperties = ["item", "items", "firstItem", "lastItem"];
    private static readonly string[] CommandProperties = ["onPress", "onMount", "onDown", "onUp"];

    public static TheoryData<string> Documents => new(ScreenDocuments.Names.Order(StringComparer.Ordinal));

    /// <summary>A data source with every member filled, as the contract allows: a bound path missing here can never resolve.</summary>
    private static JsonNode FullData() => JsonSerializer.SerializeToNode(new ScreenData
    {
        Title = "t", Subtitle = "s", Summary = "u", BarsTitle = "b", ListTitle = "l", More = "m", Hint = "h",
        Bars = [new ScreenBar { Label = "Critical", Count = 2, Text = "2", Width = "50%", Color = "#000000" }],
        Items = [new ScreenItem { Id = "i-0123456789abcdef0", Title = "web-1", Detail = "d", Badge = "Critical", Color = "#000000", Lines = ["line"] }],
    }, AlexaJsonContext.Default.ScreenData)!;

    [Fact]
    public void Documents_AreEveryOneTheCodeDraws()
    {
        Assert.Equal(
            new[] { IsolationScreens.Document, PatchScreens.Status, ReadBackScreen.Document, ScanScreens.Results }.Order(StringComparer.Ordinal),
            ScreenDocuments.Names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_HasTheAplShapeAndBindsTheScreenDataSource(string name)
    {
        var document = JsonNode.Parse(ScreenDocuments.Get(name).GetRawText())!.AsObject();

        Assert.Equal("APL", (string?)document["type"]);
        Assert.Matches(@"^\d{4}\.\d$", (string?)document["version"]);
        Assert.Equal([AplRenderDocument.DataSourceName], document["mainTemplate"]!["parameters"]!.AsArray().Select(p => (string)p!));
        Assert.NotEmpty(document["mainTemplate"]!["items"]!.AsArray());
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_UsesOnlyKnownComponentsCommandsStylesAndResources(string name)
    {
        var document = JsonNode.Parse(ScreenDocuments.Get(name).GetRawText())!.AsObject();
        var styles = document["styles"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var resources = document["resources"]!.AsArray().SelectMany(r => new[] { "colors", "dimensions", "numbers", "strings" }
            .SelectMany(kind => (r![kind] as JsonObject ?? []).Select(p => p.Key))).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (var (component, path) in ComponentsOf(document["mainTemplate"]!["items"]!, "mainTemplate"))
        {
            var type = (string?)component["type"];
            if (type is null || !Components.Contains(type)) problems.Add($"{path}: unknown component type '{type}'");
            if ((string?)component["style"] is { } style && !styles.Contains(style)) problems.Add($"{path}: no style '{style}'");
            if (type == "Text" && (string?)component["text"] is { } text && !text.StartsWith("${", StringComparison.Ordinal))
                problems.Add($"{path}: literal text '{text}' (words must come from the data, in the request's language)");
            foreach (var property in CommandProperties)
            {
                foreach (var command in component[property] as JsonArray ?? [])
                {
                    var commandType = (string?)command!["type"];
                    if (commandType is null || !Commands.Contains(commandType)) problems.Add($"{path}.{property}: unknown command '{commandType}'");
                    if (commandType == "SendEvent" && (string?)command["arguments"]?[0] != ScreenTouchHandler.InstanceArgument)
                        problems.Add($"{path}.{property}: a SendEvent the touch handler does not understand");
                }
            }
        }
        foreach (var value in Strings(document))
        {
            foreach (Match m in Resource().Matches(value))
                if (!resources.Contains(m.Groups[1].Value)) problems.Add($"no resource '@{m.Groups[1].Value}'");
        }
        foreach (var style in document["styles"]!.AsObject())
            foreach (var value in Strings(style.Value!))
                foreach (Match m in Resource().Matches(value))
                    if (!resources.Contains(m.Groups[1].Value)) problems.Add($"style {style.Key}: no resource '@{m.Groups[1].Value}'");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_BindsOnlyPathsTheDataSourceHas(string name)
    {
        var document = JsonNode.Parse(ScreenDocuments.Get(name).GetRawText())!.AsObject();
        var problems = new List<string>();
        var bound = 0;

        void Walk(JsonNode? node, JsonNode? data, string path)
        {
            if (node is JsonObject component && component["type"] is not null && component["data"] is JsonValue source)
            {
                // A data-driven component repeats its children once per element: "data" is then one element.
                var array = Resolve((string)source!, FullData(), data, path, problems) as JsonArray;
                if (array is null || array.Count == 0) problems.Add($"{path}.data: {(string)source!} is not a list in the data source");
                data = array?.FirstOrDefault();
                bound++;
            }
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "data" && o["type"] is not null) continue;
                        if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal))
                        {
                            Resolve(text, FullData(), data, $"{path}.{key}", problems);
                            bound++;
                        }
                        else Walk(value, data, $"{path}.{key}");
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i], data, $"{path}[{i}]");
                    break;
            }
        }
        Walk(document["mainTemplate"], null, "mainTemplate");

        Assert.True(bound > 3, $"{name} binds almost nothing ({bound})");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ScreenWords_ComeFromTheRequestsCatalogue_FallingBackToEnglishKeyByKey()
    {
        var embedded = SpeechCatalog.LoadEmbedded();
        var english = embedded.Locales.ToDictionary(l => l, l => (IReadOnlyDictionary<string, string>)embedded.Keys(l).ToDictionary(k => k, k => embedded.For(l).Template(k)));
        // A catalogue that translates one screen phrase only, as a new locale does at first.
        english["ja-JP"] = new Dictionary<string, string> { ["screen.severity.critical"] = "緊急" };
        var lang = new SpeechCatalog(english).For("ja-JP");
        var findings = new Bounded<InstanceFindings>([new InstanceFindings("i-0a1b2c3d4e5f60001", "web-1", new SeverityCounts(3, 2, 1, 0))], true);

        var data = ScanScreens.ResultsData(lang, "prod", null, DateTimeOffset.UnixEpoch, findings, "summary");

        Assert.Equal("緊急", data.Bars![0].Label);
        Assert.Equal("緊急", data.Items[0].Badge);
        Assert.Equal("High", data.Bars[1].Label);
        Assert.Equal("Open vulnerabilities by severity", data.BarsTitle);
    }

    [Fact]
    public void EveryTone_TheBuildersUse_HasAColourAndEveryBadgeHasWords()
    {
        foreach (var tone in new[] { "critical", "high", "medium", "low", "ok", "failed", "running", "skipped", "changing", "neutral" })
            Assert.Matches("^#[0-9A-F]{6}$", ScreenDocuments.Tones[tone]);
    }

    // Every ${...} in a value: each "screen..." or "data..." path must lead somewhere in the data.
    private static JsonNode? Resolve(string text, JsonNode screen, JsonNode? data, string path, List<string> problems)
    {
        JsonNode? last = null;
        foreach (Match expression in Binding().Matches(text))
        {
            foreach (Match reference in Reference().Matches(expression.Groups[1].Value))
            {
                var root = reference.Groups[1].Value == AplRenderDocument.DataSourceName ? screen : data;
                if (root is null)
                {
                    problems.Add($"{path}: '{reference.Value}' outside a data-driven component");
                    continue;
                }
                var node = root;
                foreach (var segment in reference.Groups[2].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
                {
                    node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
                    if (node is null)
                    {
                        problems.Add($"{path}: '{reference.Value}' is not in the data source");
                        break;
                    }
                }
                last = node;
            }
        }
        return last;
    }

    private static IEnumerable<(JsonObject Component, string Path)> ComponentsOf(JsonNode node, string path)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
                foreach (var found in ComponentsOf(array[i]!, $"{path}[{i}]")) yield return found;
            yield break;
        }
        if (node is not JsonObject component) yield break;
        yield return (component, path);
        foreach (var property in ChildProperties)
            if (component[property] is { } children)
                foreach (var found in ComponentsOf(children, $"{path}.{property}")) yield return found;
    }

    private static IEnumerable<string> Strings(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Strings(p.Value)),
        JsonArray a => a.SelectMany(v => v is null ? [] : Strings(v)),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Binding();

    [GeneratedRegex(@"(?<![\w.@])(screen|data)((?:\.[A-Za-z_]\w*)*)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^@([A-Za-z_]\w*)$")]
    private static partial Regex Resource();
}
