using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// Every field of a request, in turn, given a value of every other JSON type. Two bases: the first turn
/// of a change (which may only read back) and the "yes" of an unrecognised speaker to a valid read-back
/// (which must be refused). A wrong type must never turn either into an action.
/// </summary>
public sealed class WrongTypeTests
{
    private static readonly (string Kind, Func<JsonNode?> Make)[] Replacements =
    [
        ("number", () => JsonValue.Create(42)),
        ("string", () => JsonValue.Create("x")),
        ("bool", () => JsonValue.Create(true)),
        ("null", () => null),
        ("array", () => new JsonArray(JsonValue.Create(1))),
        ("object", () => new JsonObject { ["k"] = 1 }),
    ];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var baseName in new[] { "first-turn", "stranger-yes" })
        {
            var template = Template(baseName);
            foreach (var (path, node) in Paths(template, ""))
            {
                foreach (var (kind, _) in Replacements)
                {
                    if (kind == KindOf(node)) continue;
                    data.Add(baseName, path, kind);
                }
            }
        }
        return data;
    }

    [Fact]
    public void Cases_CoverEveryFieldOfBothBases()
    {
        var paths = Cases().Select(row => (string)row[1]).Distinct().ToList();

        Assert.Contains("request.intent.confirmationStatus", paths);
        Assert.Contains("request.intent.slots.InstanceName.value", paths);
        Assert.Contains("session.attributes.securityAlexa.sig", paths);
        Assert.Contains("context.System.person.personId", paths);
        var count = Cases().Count;
        Assert.True(count > 300, $"only {count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HandleAsync_WhenAFieldHasTheWrongType_ActsOnNothing(string baseName, string path, string kind)
    {
        using var h = new HostileHarness();
        var request = await BuildAsync(h, baseName);
        Replace(request.Root, path, Replacements.Single(r => r.Kind == kind).Make());

        var reply = new AlexaReply(await h.Driver.SendRawAsync(request.Root.ToJsonString()));

        if (reply.IsEmpty)
        {
            // Changing request.type can make it a SessionEndedRequest-like or unknown silent request.
            Assert.Empty(h.MutatingCalls);
            h.AssertNoException();
            return;
        }
        h.AssertSafe(reply);
    }

    [Fact]
    public async Task Control_TheStrangerBaseWouldActIfTheSpeakerWereAllowed()
    {
        using var h = new HostileHarness();
        var request = await BuildAsync(h, "stranger-yes");
        request.Speaker(AlexaRequests.PersonId);

        await h.Driver.SendRawAsync(request.Root.ToJsonString());

        h.AssertWeb1Isolated();
    }

    private static async Task<AlexaRequests> BuildAsync(HostileHarness h, string baseName)
    {
        if (baseName == "first-turn")
            return HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).StampIfUnset(h.Time.GetUtcNow());
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        return HostileHarness.Confirm("IsolateIntent", "web-1", attributes).Speaker("amzn1.ask.person.STRANGER").StampIfUnset(h.Time.GetUtcNow());
    }

    private static JsonObject Template(string baseName)
    {
        var request = baseName == "first-turn"
            ? HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"))
            : HostileHarness.Confirm("IsolateIntent", "web-1", new JsonObject
            {
                ["securityAlexa"] = new JsonObject { ["v"] = 1, ["data"] = "{}", ["sig"] = "x" },
            }).Speaker("amzn1.ask.person.STRANGER");
        return request.Root;
    }

    private static IEnumerable<(string Path, JsonNode? Node)> Paths(JsonNode node, string prefix)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj)
            {
                var path = prefix.Length == 0 ? key : prefix + "." + key;
                yield return (path, child);
                if (child is not null)
                    foreach (var nested in Paths(child, path)) yield return nested;
            }
        }
    }

    private static string KindOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "number",
    };

    private static void Replace(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1]) parent = (JsonObject)parent[part]!;
        parent[parts[^1]] = value;
    }
}
