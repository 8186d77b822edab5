using System.Globalization;
using System.Text.Json.Nodes;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Local.Chat;

/// <summary>
/// Plays Alexa's part in a conversation with the skill: turns utterances into requests, keeps the
/// session (id, attributes) and the dialog state between turns, and follows the skill's dialog directives:
/// Dialog.ElicitSlot (the next answer fills that slot of the same intent), Dialog.ConfirmIntent (yes or no
/// comes back as the same intent, CONFIRMED or DENIED), and Dialog.Delegate (the dialog model's prompts,
/// then the intent with dialogState COMPLETED).
/// </summary>
internal sealed class ChatSession
{
    /// <summary>The skill id used when none is configured (the one in events/).</summary>
    public const string DefaultSkillId = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000";

    // A skill that keeps delegating without asking anything would loop forever; Alexa gives up too.
    private const int MaxRequestsPerTurn = 6;

    private readonly InteractionModel _model;
    private readonly UtteranceMatcher _matcher;
    private readonly Func<string, CancellationToken, Task<string>> _skill;
    private readonly Func<DateTimeOffset> _now;
    private readonly string _skillId;
    private readonly string _locale;
    private readonly bool _screen;
    private int _requestCounter;
    private int _sessionCounter;

    private string? _sessionId;
    private bool _newSession;
    private JsonObject _attributes = [];
    private DialogStep? _step;

    /// <summary>
    /// Creates a chat with a skill given as JSON request in, JSON response out, in <paramref name="locale"/>. With
    /// <paramref name="screen"/> the requests come from a device with a screen (they declare the APL interface),
    /// otherwise from one without.
    /// </summary>
    public ChatSession(InteractionModel model, Func<string, CancellationToken, Task<string>> skill, Func<DateTimeOffset>? now = null,
        string? skillId = null,
        string locale = "en-US", bool screen = false)
    {
        _screen = screen;
        _model = model;
        _locale = locale;
        _now = now ?? (() => DateTimeOffset.UtcNow);
        _matcher = new UtteranceMatcher(model, locale, _now);
        _skill = skill;
        _skillId = skillId ?? DefaultSkillId;
    }

    /// <summary>The matcher over the model.</summary>
    public UtteranceMatcher Matcher => _matcher;

    /// <summary>True while a session is open.</summary>
    public bool InSession => _sessionId is not null;

    /// <summary>The dialog step the next utterance answers, for tests and the prompt ("eliciting Selection").</summary>
    public string? Waiting => _step switch
    {
        null => null,
        { Kind: StepKind.Elicit } s => $"{s.Intent["name"]}.{s.Slot}",
        { Kind: StepKind.ConfirmSlot } s => $"confirm {s.Intent["name"]}.{s.Slot}",
        { Kind: StepKind.ConfirmIntent } s => $"confirm {s.Intent["name"]}",
        _ => null,
    };

    /// <summary>Sends one utterance to the skill, as Alexa would, and returns what Alexa says.</summary>
    public async Task<ChatTurn> SayAsync(string utterance, CancellationToken cancellationToken = default)
    {
        var words = _matcher.Tokens(utterance);
        var request = ToRequest(words, utterance);
        var speech = new List<string>();
        var cards = new List<(string, string)>();
        var sent = new List<JsonObject>();
        var screens = new List<string>();
        var ended = false;

        for (var i = 0; request is not null && i < MaxRequestsPerTurn; i++)
        {
            var envelope = Envelope(request);
            sent.Add(envelope);
            var replyText = await _skill(envelope.ToJsonString(), cancellationToken).ConfigureAwait(false);
            var reply = JsonNode.Parse(replyText) as JsonObject ?? [];
            screens.AddRange(ScreenDevice.Describe(replyText));
            Remember(replyText);
            request = Follow(request, reply, speech, cards, ref ended);
        }
        return new ChatTurn(speech, cards, ended, sent) { Screens = screens };
    }

    /// <summary>
    /// A touch on a row of the last screen, as the device sends it (Alexa.Presentation.APL.UserEvent with the row's
    /// arguments); it leaves any dialog step as it was, since a touch is not an answer to a question.
    /// </summary>
    public async Task<ChatTurn> TouchAsync(string token, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        if (!InSession) StartSession();
        var request = new JsonObject
        {
            ["type"] = "Alexa.Presentation.APL.UserEvent",
            ["token"] = token,
            ["arguments"] = new JsonArray(arguments.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["source"] = new JsonObject { ["type"] = "TouchWrapper", ["handler"] = "Press", ["id"] = "" },
        };
        var envelope = Envelope(request);
        var replyText = await _skill(envelope.ToJsonString(), cancellationToken).ConfigureAwait(false);
        var speech = new List<string>();
        var cards = new List<(string, string)>();
        var ended = false;
        Follow(request, JsonNode.Parse(replyText) as JsonObject ?? [], speech, cards, ref ended);
        Remember(replyText);
        // On Alexa a touch ends the open dialog step; the skill's answer says how to go on.
        _step = null;
        return new ChatTurn(speech, cards, ended, [envelope]) { Screens = ScreenDevice.Describe(replyText).ToList() };
    }

    /// <summary>The last screen drawn: its document and its rows (id and title), for touches.</summary>
    public (string Token, IReadOnlyList<(string Id, string Title)> Rows)? LastScreen { get; private set; }

    private void Remember(string replyText)
    {
        var directive = ((JsonNode.Parse(replyText) as JsonObject)?["response"]?["directives"] as JsonArray ?? [])
            .OfType<JsonObject>().LastOrDefault(d => (string?)d["type"] == SecurityAlexa.Alexa.AplRenderDocument.TypeName);
        if (directive is null) return;
        var rows = (directive["datasources"]?[SecurityAlexa.Alexa.AplRenderDocument.DataSourceName]?["items"] as JsonArray ?? [])
            .OfType<JsonObject>().Select(i => ((string?)i["id"] ?? "", (string?)i["title"] ?? "")).ToList();
        LastScreen = ((string?)directive["token"] ?? "", rows);
    }

    // Decides which request an utterance becomes, given the session and dialog state.
    private JsonObject? ToRequest(IReadOnlyList<string> words, string utterance)
    {
        var invocation = _matcher.Tokens(_model.InvocationName);
        if (_matcher.ByCharacter ? IsJapaneseLaunch(words, invocation) : IsLaunch(words, invocation))
        {
            StartSession();
            return new JsonObject { ["type"] = "LaunchRequest" };
        }
        var oneShot = _matcher.ByCharacter ? JapaneseOneShot(words, invocation) : OneShot(words, invocation);
        if (oneShot is not null)
        {
            StartSession();
            words = oneShot;
            utterance = string.Join(_matcher.ByCharacter ? "" : " ", oneShot);
        }
        else if (!InSession)
        {
            StartSession();
        }
        else if (words is ["exit"] or ["quit"] or ["goodbye"])
        {
            // Alexa closes the session itself and tells the skill why.
            var ended = new JsonObject { ["type"] = "SessionEndedRequest", ["reason"] = "USER_INITIATED" };
            _step = null;
            return ended;
        }

        if (_step is { } step)
        {
            _step = null;
            return Answer(step, utterance);
        }
        return IntentRequest(_matcher.Match(utterance), dialogState: null, baseIntent: null);
    }

    // The user's answer to an elicitation or confirmation question.
    private JsonObject Answer(DialogStep step, string utterance)
    {
        var intentName = (string)step.Intent["name"]!;
        if (step.Kind is StepKind.ConfirmIntent or StepKind.ConfirmSlot)
        {
            var yes = _matcher.IsPhraseOf(utterance, "AMAZON.YesIntent");
            var no = !yes && _matcher.IsPhraseOf(utterance, "AMAZON.NoIntent");
            if (yes || no)
            {
                var intent = (JsonObject)step.Intent.DeepClone();
                var status = yes ? "CONFIRMED" : "DENIED";
                if (step.Kind == StepKind.ConfirmIntent) intent["confirmationStatus"] = status;
                else if (intent["slots"]?[step.Slot!] is JsonObject slot) slot["confirmationStatus"] = status;
                return new JsonObject { ["type"] = "IntentRequest", ["dialogState"] = "IN_PROGRESS", ["intent"] = intent };
            }
        }

        var match = _matcher.MatchInDialog(utterance, intentName, step.Kind == StepKind.Elicit ? step.Slot : null);
        if (match is not null && match.Intent == intentName)
            return IntentRequest(match, "IN_PROGRESS", step.Intent);
        // Anything else leaves the dialog, as on Alexa: cancel, help, or a new request.
        return IntentRequest(match ?? _matcher.Match(utterance), dialogState: null, baseIntent: null);
    }

    // Reads the skill's response; returns the next request to send without waiting for the user, if any.
    private JsonObject? Follow(JsonObject request, JsonObject reply, List<string> speech, List<(string, string)> cards, ref bool ended)
    {
        var response = reply["response"] as JsonObject;
        if (reply["sessionAttributes"] is JsonObject attributes) _attributes = (JsonObject)attributes.DeepClone();
        else if (InSession) _attributes = [];

        if (Speak(response?["outputSpeech"]) is { Length: > 0 } said) speech.Add(said);
        if (response?["card"] is JsonObject card)
            cards.Add(((string?)card["title"] ?? "", (string?)card["content"] ?? (string?)card["text"] ?? ""));

        if ((string?)request["type"] == "SessionEndedRequest")
        {
            EndSession();
            ended = true;
            return null;
        }

        var currentIntent = request["intent"] as JsonObject;
        foreach (var directive in (response?["directives"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var updated = directive["updatedIntent"] as JsonObject ?? currentIntent;
            switch ((string?)directive["type"])
            {
                case "Dialog.UpdateDynamicEntities":
                    TeachAccounts(directive);
                    break;
                case "Dialog.ElicitSlot" when updated is not null:
                    _step = new DialogStep(StepKind.Elicit, Normalized(updated), (string?)directive["slotToElicit"]);
                    return null;
                case "Dialog.ConfirmSlot" when updated is not null:
                    _step = new DialogStep(StepKind.ConfirmSlot, Normalized(updated), (string?)directive["slotToConfirm"]);
                    return null;
                case "Dialog.ConfirmIntent" when updated is not null:
                    _step = new DialogStep(StepKind.ConfirmIntent, Normalized(updated), null);
                    return null;
                case "Dialog.Delegate" when updated is not null:
                    return Delegate(Normalized(updated), speech);
            }
        }

        if ((bool?)response?["shouldEndSession"] == true)
        {
            EndSession();
            ended = true;
        }
        else if (response is null || response.Count == 0)
        {
            // An empty response ends the session, as for SessionEndedRequest.
            EndSession();
            ended = true;
        }
        return null;
    }

    // Alexa runs the dialog model: required slots first, then intent confirmation, then COMPLETED.
    private JsonObject? Delegate(JsonObject intent, List<string> speech)
    {
        var name = (string)intent["name"]!;
        if (_model.Dialog.TryGetValue(name, out var rules))
        {
            foreach (var slot in rules.Slots.Where(s => s.ElicitationRequired))
            {
                if (!string.IsNullOrEmpty((string?)intent["slots"]?[slot.Name]?["value"])) continue;
                speech.Add(Prompt(slot.ElicitationPrompt, intent));
                _step = new DialogStep(StepKind.Elicit, intent, slot.Name);
                return null;
            }
            if (rules.ConfirmationRequired && ((string?)intent["confirmationStatus"] ?? "NONE") == "NONE")
            {
                speech.Add(Prompt(rules.ConfirmationPrompt, intent));
                _step = new DialogStep(StepKind.ConfirmIntent, intent, null);
                return null;
            }
        }
        return new JsonObject { ["type"] = "IntentRequest", ["dialogState"] = "COMPLETED", ["intent"] = intent.DeepClone() };
    }

    private string Prompt(string? id, JsonObject intent)
    {
        var text = id is not null && _model.Prompts.TryGetValue(id, out var variations) && variations.Count > 0 ? variations[0] : "";
        foreach (var slot in (intent["slots"] as JsonObject ?? []).Select(p => p.Value).OfType<JsonObject>())
            text = text.Replace("{" + (string?)slot["name"] + "}", (string?)slot["value"] ?? "", StringComparison.Ordinal);
        return text;
    }

    private JsonObject IntentRequest(IntentMatch? match, string? dialogState, JsonObject? baseIntent)
    {
        var name = match?.Intent ?? (_model.Intent("AMAZON.FallbackIntent") is not null ? "AMAZON.FallbackIntent" : "AMAZON.HelpIntent");
        var intent = baseIntent is not null && (string?)baseIntent["name"] == name
            ? Normalized(baseIntent)
            : Normalized(new JsonObject { ["name"] = name });
        intent["confirmationStatus"] = "NONE";
        var slots = (JsonObject)intent["slots"]!;
        foreach (var fill in match?.Slots.Values ?? [])
            slots[fill.Name] = SlotJson(fill);

        // Alexa sends dialogState only for intents that have a dialog model.
        dialogState ??= _model.Dialog.ContainsKey(name) ? "STARTED" : null;
        var request = new JsonObject { ["type"] = "IntentRequest" };
        if (dialogState is not null) request["dialogState"] = dialogState;
        request["intent"] = intent;
        return request;
    }

    private JsonObject SlotJson(SlotFill fill)
    {
        var slot = new JsonObject
        {
            ["name"] = fill.Name,
            ["value"] = fill.Value,
            ["confirmationStatus"] = "NONE",
            ["source"] = "USER",
        };
        var simple = new JsonObject { ["type"] = "Simple", ["value"] = fill.Value };
        if (fill.Resolution != SlotResolution.BuiltIn)
        {
            var authority = new JsonObject
            {
                ["authority"] = $"amzn1.er-authority.echo-sdk.{_skillId}.{fill.Type}",
                ["status"] = new JsonObject { ["code"] = fill.Resolution == SlotResolution.Match ? "ER_SUCCESS_MATCH"
                    : "ER_SUCCESS_NO_MATCH" },
            };
            if (fill.Resolution == SlotResolution.Match)
                authority["values"] = new JsonArray(new JsonObject { ["value"] = new JsonObject { ["name"] = fill.ResolvedName,
                    ["id"] = fill.ResolvedId } });
            var resolutions = new JsonObject { ["resolutionsPerAuthority"] = new JsonArray(authority) };
            slot["resolutions"] = resolutions;
            simple["resolutions"] = resolutions.DeepClone();
        }
        slot["slotValue"] = simple;
        return slot;
    }

    // Every slot the model defines for the intent is present, empty ones with just name and status, as Alexa sends them.
    private JsonObject Normalized(JsonObject intent)
    {
        var copy = (JsonObject)intent.DeepClone();
        var name = (string?)copy["name"] ?? "";
        copy["confirmationStatus"] ??= "NONE";
        var slots = copy["slots"] as JsonObject ?? [];
        copy["slots"] = slots;
        foreach (var slot in _model.Intent(name)?.Slots ?? [])
        {
            if (slots[slot.Name] is not JsonObject existing)
                slots[slot.Name] = new JsonObject { ["name"] = slot.Name, ["confirmationStatus"] = "NONE" };
            else if (existing["resolutions"] is null && (string?)existing["value"] is { Length: > 0 } value
                && _matcher.Resolve(slot.Name, slot.Type, value) is { } fill)
            {
                // A skill's updatedIntent carries values without resolutions; Alexa resolves them again in the next request
                // (which matters in ja-JP, where "環境" only becomes Environment through its synonyms).
                var resolved = SlotJson(fill);
                resolved["confirmationStatus"] = existing["confirmationStatus"]?.DeepClone() ?? "NONE";
                if (existing["source"] is null) resolved.Remove("source");
                slots[slot.Name] = resolved;
            }
            else existing["confirmationStatus"] ??= "NONE";
        }
        return copy;
    }

    private JsonObject Envelope(JsonObject request)
    {
        var id = ++_requestCounter;
        var body = (JsonObject)request.DeepClone();
        var withIds = new JsonObject
        {
            ["type"] = body["type"]?.DeepClone(),
            ["requestId"] = $"amzn1.echo-api.request.chat-{id:D6}",
            ["timestamp"] = _now().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["locale"] = _locale,
        };
        foreach (var (key, value) in body)
            if (key != "type") withIds[key] = value?.DeepClone();

        var application = new JsonObject { ["applicationId"] = _skillId };
        var user = new JsonObject { ["userId"] = "amzn1.ask.account.CHAT" };
        var envelope = new JsonObject
        {
            ["version"] = "1.0",
            ["session"] = new JsonObject
            {
                ["new"] = _newSession,
                ["sessionId"] = _sessionId ?? "amzn1.echo-api.session.chat-none",
                ["application"] = application.DeepClone(),
                ["attributes"] = _attributes.DeepClone(),
                ["user"] = user.DeepClone(),
            },
            ["context"] = new JsonObject
            {
                ["System"] = new JsonObject
                {
                    ["application"] = application,
                    ["user"] = user,
                    ["person"] = new JsonObject { ["personId"] = "amzn1.ask.person.CHAT" },
                    ["device"] = new JsonObject { ["deviceId"] = "amzn1.ask.device.CHAT",
                        ["supportedInterfaces"] = _screen ? ScreenDevice.Interfaces() : new JsonObject() },
                    ["apiEndpoint"] = "https://api.amazonalexa.com",
                    ["apiAccessToken"] = "chat-token",
                },
            },
            ["request"] = withIds,
        };
        _newSession = false;
        return envelope;
    }

    private void StartSession()
    {
        _sessionId = $"amzn1.echo-api.session.chat-{++_sessionCounter:D4}";
        _newSession = true;
        _attributes = [];
        _step = null;
    }

    private void EndSession()
    {
        _sessionId = null;
        _attributes = [];
        _step = null;
    }

    private static bool IsLaunch(IReadOnlyList<string> words, IReadOnlyList<string> invocation)
    {
        if (words is ["open"] or ["launch"] or ["start"]) return true;
        if (words.Count < 2 || words[0] is not ("open" or "launch" or "start" or "begin" or "load" or "run" or "use")) return false;
        return words.Skip(1).SequenceEqual(invocation);
    }

    // Japanese opens a skill with its name first: "セキュリティアシスタントを開いて", "アレクサ、セキュリティアシスタントを起動して".
    private static readonly string[] JapaneseOpenings = ["", "を開いて", "を開く", "開いて", "を起動して", "起動して", "を開始して", "につないで", "をお願い"];

    // Japanese particles between the skill's name and the request: "セキュリティアシスタントで本番をスキャンして".
    private static readonly string[] JapaneseLinks = ["で", "に", "を使って"];

    private static bool IsJapaneseLaunch(IReadOnlyList<string> characters, IReadOnlyList<string> invocation)
    {
        var text = WithoutWakeWord(string.Concat(characters));
        var name = string.Concat(invocation);
        return JapaneseOpenings.Any(o => text == name + o);
    }

    private static List<string>? JapaneseOneShot(IReadOnlyList<string> characters, IReadOnlyList<string> invocation)
    {
        var text = WithoutWakeWord(string.Concat(characters));
        var name = string.Concat(invocation);
        if (!text.StartsWith(name, StringComparison.Ordinal)) return null;
        var rest = text[name.Length..];
        var link = JapaneseLinks.FirstOrDefault(l => rest.StartsWith(l, StringComparison.Ordinal));
        if (link is null || rest.Length == link.Length) return null;
        return rest[link.Length..].Select(c => c.ToString()).ToList();
    }

    private static string WithoutWakeWord(string text) => text.StartsWith("アレクサ", StringComparison.Ordinal) ? text["アレクサ".Length..] : text;

    // "ask security assistant to scan prod" → "scan prod"; "open security assistant and isolate web one" → "isolate web one".
    private static List<string>? OneShot(IReadOnlyList<string> words, IReadOnlyList<string> invocation)
    {
        var start = words.Count > 0 && words[0] is "ask" or "tell" or "open" or "launch" or "start" ? 1 : -1;
        if (start < 0 || words.Count <= start + invocation.Count) return null;
        if (!words.Skip(start).Take(invocation.Count).SequenceEqual(invocation)) return null;
        var rest = words.Skip(start + invocation.Count).ToList();
        if (rest.Count > 0 && rest[0] is "to" or "and" or "for" or "about" or "whether" or "if") rest.RemoveAt(0);
        return rest.Count == 0 ? null : rest;
    }

    private static string Speak(JsonNode? speech)
    {
        if (speech is null) return "";
        var ssml = (string?)speech["ssml"];
        return ssml is not null ? Ssml.ToPlainText(ssml) : (string?)speech["text"] ?? "";
    }

    private enum StepKind
    {
        Elicit,
        ConfirmSlot,
        ConfirmIntent,
    }

    // Alexa learns the configured account names at launch; the fleet's tags are left as the model has them, so that
    // scripts written against the model's own values keep matching as they did.
    private void TeachAccounts(JsonObject directive)
    {
        foreach (var type in (directive["types"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)type["name"] != "ACCOUNT") continue;
            _matcher.Teach("ACCOUNT", (type["values"] as JsonArray ?? []).OfType<JsonObject>().Select(v => new ModelSlotValue(
                (string?)v["id"], (string?)v["name"]?["value"] ?? "",
                (v["name"]?["synonyms"] as JsonArray ?? []).Select(x => (string?)x ?? "").Where(x => x.Length > 0).ToList())));
        }
    }

    private sealed record DialogStep(StepKind Kind, JsonObject Intent, string? Slot);
}
