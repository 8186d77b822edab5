using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityAlexa.Bench.ColdStart;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Bench.Fleet;

/// <summary>
/// Turns of one Alexa conversation sent through a host's dispatcher, carrying session attributes the way Alexa
/// does; requests are built from events/ samples so they have the real envelope.
/// </summary>
internal sealed partial class Conversation(SkillHost host)
{
    private JsonObject? _attributes;

    /// <summary>The speech of the last answer, without SSML.</summary>
    public string LastSpeech { get; private set; } = "";

    /// <summary>The size of the largest answer so far in bytes; Alexa refuses more than 24 KB.</summary>
    public int LastBytes { get; private set; }

    /// <summary>The last answer's directive types, e.g. Dialog.ConfirmIntent.</summary>
    public IReadOnlyList<string> LastDirectives { get; private set; } = [];

    /// <summary>An intent request with the given slots (null values are empty slots) and confirmation status.</summary>
    public async Task<string> SayAsync(string intent, IReadOnlyDictionary<string, string?> slots, string confirmation = "NONE", string dialogState = "STARTED")
    {
        var root = JsonNode.Parse(Encoding.UTF8.GetString(ColdStartBench.Payload(Repo.Event("scan-results.json"), null)))!.AsObject();
        var request = root["request"]!.AsObject();
        request["requestId"] = "amzn1.echo-api.request.bench-" + Guid.NewGuid().ToString("N");
        request["dialogState"] = dialogState;
        var slotsJson = new JsonObject();
        foreach (var (name, value) in slots)
        {
            var slot = new JsonObject { ["name"] = name, ["confirmationStatus"] = "NONE" };
            if (value is not null) slot["value"] = value;
            slotsJson[name] = slot;
        }
        request["intent"] = new JsonObject { ["name"] = intent, ["confirmationStatus"] = confirmation, ["slots"] = slotsJson };
        var session = root["session"]!.AsObject();
        session["new"] = _attributes is null;
        session["attributes"] = _attributes?.DeepClone() ?? new JsonObject();

        var bytes = await host.Dispatcher.InvokeAsync(Encoding.UTF8.GetBytes(root.ToJsonString()), new InvocationInfo()).ConfigureAwait(false);
        LastBytes = Math.Max(LastBytes, bytes.Length);
        var answer = InvocationDispatcher.Text(bytes);
        var reply = JsonNode.Parse(answer)!.AsObject();
        _attributes = reply["sessionAttributes"]?.AsObject().DeepClone().AsObject() ?? _attributes;
        var ssml = reply["response"]?["outputSpeech"]?["ssml"]?.GetValue<string>() ?? reply["response"]?["outputSpeech"]?["text"]?.GetValue<string>() ?? "";
        LastSpeech = Tags().Replace(ssml, "").Trim();
        LastDirectives = (reply["response"]?["directives"]?.AsArray() ?? []).Select(d => d?["type"]?.GetValue<string>() ?? "").ToList();
        return LastSpeech;
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
