using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityAlexa.Alexa;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Alexa;

/// <summary>
/// The function reads requests with <see cref="SkillRequestReader"/>; these hold it to what System.Text.Json's
/// source-generated reader (the contract's definition) makes of the same bytes: the same objects, or a refusal of both.
/// </summary>
public sealed class SkillRequestReaderTests
{
    public static TheoryData<string> Requests()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.RequestNames) data.Add(Path.Combine(Fixtures.RequestsDir, name));
        foreach (var path in Directory.EnumerateFiles(Fixtures.EventsDir, "*.json").Order(StringComparer.Ordinal)) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Read_WhenRequestIsAsStored_GivesWhatSystemTextJsonGives(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith("\uFEFF"u8)) bytes = bytes[3..];

        var ours = Outcome(() => SkillRequestReader.Read(bytes));

        Assert.Equal(Outcome(() => JsonSerializer.Deserialize(bytes, AlexaJsonContext.Default.SkillRequest)), ours);
        Assert.DoesNotContain("refused", ours, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every value of the request replaced by every other kind of value, and every property removed: both readers
    /// must agree on each.
    /// </summary>
    [Theory]
    [MemberData(nameof(Requests))]
    public void Read_WhenAnyValueHasAnotherShapeOrIsMissing_GivesWhatSystemTextJsonGives(string path)
    {
        var text = File.ReadAllText(path);
        var mismatches = new List<string>();
        var tried = 0;
        foreach (var (where, json) in Mutations(text))
        {
            tried++;
            var bytes = Encoding.UTF8.GetBytes(json);
            var expected = Outcome(() => JsonSerializer.Deserialize(bytes, AlexaJsonContext.Default.SkillRequest));
            var actual = Outcome(() => SkillRequestReader.Read(bytes));
            if (expected != actual) mismatches.Add($"{where}: System.Text.Json {expected} | ours {actual}");
        }

        Assert.True(tried > 20, $"only {tried} variants of {path}");
        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"a request\"")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\"}} trailing")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\"}} {}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\"}} // a comment\n")]
    [InlineData("{/* c */\"request\":{\"type\":\"LaunchRequest\",},}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\"")]
    [InlineData("{\"request\":{\"type\":\"IntentRequest\",\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"type\":null}}")]
    [InlineData("{\"request\":{\"type\":7,\"requestId\":\"r\"}}")]
    [InlineData("{\"request\":{\"type\":\"\"}}")]
    [InlineData("{\"request\":{\"type\":\"intentrequest\",\"intent\":{\"name\":\"X\"}}}")]
    [InlineData("{\"request\":{\"\\u0074ype\":\"IntentRequest\",\"intent\":{\"name\":\"X\"}}}")]
    [InlineData("{\"request\":{\"intent\":{\"name\":\"X\"},\"type\":\"IntentRequest\"}}")]
    [InlineData("{\"request\":{\"intent\":{\"name\":\"X\"},\"type\":\"CanFulfillIntentRequest\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"$id\":\"1\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"$type\":\"x\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"$ref\":\"1\"}}")]
    [InlineData("{\"$id\":\"1\",\"request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"$values\":[]}}")]
    [InlineData("{\"request\":{\"$foo\":1,\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"\\u0024id\":\"1\",\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"type\":\"IntentRequest\",\"intent\":{\"$id\":\"1\",\"name\":\"x\"}}}")]
    [InlineData("{\"request\":{\"type\":1,\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"type\":1.5,\"requestId\":\"r\"}}")]
    [InlineData("{\"request\":{\"type\":4294967296,\"requestId\":\"r\"}}")]
    [InlineData("{\"request\":{\"type\":-3,\"requestId\":\"r\"}}")]
    [InlineData("{\"Request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"\\ud800\":1,\"request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"session\":{\"\\ud800x\":1},\"request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"type\":\"IntentRequest\",\"intent\":{\"\\udc00\":{}}}}")]
    [InlineData("{\"re\\u0071uest\":{\"type\":\"LaunchRequest\",\"\\u006Cocale\":\"ja-JP\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"requestId\":\"\\ud800\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"timestamp\":\"1733000000000\"}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"timestamp\":1733000000.5}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"timestamp\":1e400}}")]
    [InlineData("{\"request\":{\"type\":\"LaunchRequest\",\"timestamp\":{\"a\":[1,2]}}}")]
    [InlineData("{\"session\":{\"new\":\"true\"},\"request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"session\":{\"new\":null},\"request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"session\":{\"new\":1},\"request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"session\":{\"attributes\":{\"a\":null,\"b\":[1,{\"c\":\"d\"}],\"a\":2}},\"request\":{\"type\":\"LaunchRequest\"}}")]
    [InlineData("{\"request\":{\"type\":\"Alexa.Presentation.APL.UserEvent\",\"arguments\":[null,1,\"x\"],\"source\":null}}")]
    [InlineData("{\"request\":{\"type\":\"Alexa.Presentation.APL.UserEvent\",\"arguments\":null,\"source\":{\"id\":1}}}")]
    [InlineData("{\"request\":{\"type\":\"IntentRequest\",\"intent\":{\"slots\":{\"a\":null,\"b\":{\"value\":\"1\"}}}}}")]
    [InlineData("{\"request\":{\"type\":\"IntentRequest\",\"intent\":{\"slots\":{\"a\":{\"value\":1}}}}}")]
    [InlineData("{\"Records\":[{\"body\":\"x\"}]}")]
    [InlineData("{\"version\":\"0\",\"detail-type\":\"Tag Change on Resource\",\"source\":\"aws.tag\",\"detail\":{}}")]
    public void Read_WhenInputIsOddOrBroken_GivesWhatSystemTextJsonGives(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Equal(Outcome(() => JsonSerializer.Deserialize(bytes, AlexaJsonContext.Default.SkillRequest)),
            Outcome(() => SkillRequestReader.Read(bytes)));
    }

    [Fact]
    public void Read_WhenBytesAreNotUtf8_RefusesAsSystemTextJsonDoes()
    {
        byte[] bytes = [.. "{\"request\":{\"type\":\"LaunchRequest\",\"requestId\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        Assert.Equal("refused", Outcome(() => SkillRequestReader.Read(bytes)));
        Assert.Equal("refused", Outcome(() => JsonSerializer.Deserialize(bytes, AlexaJsonContext.Default.SkillRequest)));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    public void Read_WhenNestingIsDeep_RefusesBeyondWhatSystemTextJsonAllows(int depth)
    {
        var json = "{\"session\":{\"attributes\":{\"a\":" + new string('[', depth) + new string(']', depth) + "}}}";
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Equal(Outcome(() => JsonSerializer.Deserialize(bytes, AlexaJsonContext.Default.SkillRequest)),
            Outcome(() => SkillRequestReader.Read(bytes)));
    }

    [Fact]
    public void Read_WhenTypeIsLast_ReadsTheIntentOfTheRightClass()
    {
        var request = SkillRequestReader.Read(
            "{\"request\":{\"requestId\":\"r1\",\"intent\":{\"name\":\"IsolateIntent\"},\"dialogState\":\"STARTED\",\"type\":\"IntentRequest\"}}"u8);

        var intent = Assert.IsType<IntentRequest>(request!.Request);
        Assert.Equal("IsolateIntent", intent.Intent?.Name);
        Assert.Equal("STARTED", intent.DialogState);
        Assert.Equal("r1", intent.RequestId);
    }

    // What a reader made of the bytes, as text: the request re-written by System.Text.Json (every property), its
    // class and its exact timestamp; or that it was refused (the dispatcher answers both exceptions alike).
    private static string Outcome(Func<SkillRequest?> read)
    {
        SkillRequest? request;
        try
        {
            request = read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "refused";
        }
        if (request is null) return "null";
        return JsonSerializer.Serialize(request, AlexaJsonContext.Default.SkillRequest)
            + " | " + request.Request?.GetType().Name + " | " + request.Request?.Timestamp?.ToString("O");
    }

    private static IEnumerable<(string Where, string Json)> Mutations(string text)
    {
        var root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        var paths = new List<object[]>();
        Collect(root, [], paths);
        JsonNode?[] replacements = [null, 1, "x", true, new JsonObject(), new JsonArray(), new JsonArray(1, "y")];
        foreach (var path in paths.Where(p => p.Length > 0))
        {
            var where = "$" + string.Concat(path.Select(s => s is int i ? $"[{i}]" : "." + s));
            foreach (var replacement in replacements)
            {
                var copy = root.DeepClone();
                Replace(copy, path, replacement?.DeepClone(), remove: false);
                yield return ($"{where} = {replacement?.ToJsonString() ?? "null"}", copy.ToJsonString());
            }
            var without = root.DeepClone();
            Replace(without, path, null, remove: true);
            yield return ($"{where} removed", without.ToJsonString());
        }
    }

    private static void Collect(JsonNode? node, object[] path, List<object[]> paths)
    {
        paths.Add(path);
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o) Collect(value, [.. path, key], paths);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Collect(a[i], [.. path, i], paths);
                break;
        }
    }

    private static void Replace(JsonNode root, object[] steps, JsonNode? value, bool remove)
    {
        var target = root;
        foreach (var step in steps[..^1]) target = step is int index ? target[index]! : target[(string)step]!;
        switch (steps[^1])
        {
            case int index when remove:
                target.AsArray().RemoveAt(index);
                break;
            case int index:
                target[index] = value;
                break;
            case string key when remove:
                target.AsObject().Remove(key);
                break;
            case string key:
                target[key] = value;
                break;
        }
    }
}
