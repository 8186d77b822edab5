using System.Text;
using System.Text.Json;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Tests.Alexa;

/// <summary>The hand-written response writer against the serializer it replaces, on hand-built responses.</summary>
public sealed class SkillResponseWriterTests
{
    // Every kind of character the escaping treats differently: SSML markup, quotes, backslash, control
    // characters, non-ASCII and a surrogate pair, and the HTML-sensitive ones the relaxed encoder keeps.
    private const string Awkward = "<speak>R&amp;D's \"web-1\" <break time=\"1s\"/> a\\b\t\n\r\u0001\u001f\u007f "
        + "ウェブサーバー１を隔離しました。\u00e9 \U0001F6E1 + ' ` \u2028\u2029 </script></speak>";

    private static string Stj(SkillResponse response) =>
        Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(response, AlexaJsonContext.Wire.SkillResponse));

    private static string Writer(SkillResponse response) => Encoding.UTF8.GetString(SkillResponseWriter.ToUtf8Bytes(response));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static Slot FullSlot(string name) => new()
    {
        Name = name,
        Value = Awkward,
        ConfirmationStatus = "CONFIRMED",
        Source = "USER",
        Resolutions = new Resolutions
        {
            ResolutionsPerAuthority =
            [
                new ResolutionAuthority
                {
                    Authority = "amzn1.er-authority.echo-sdk.skill.TagValue",
                    Status = new ResolutionStatus { Code = "ER_SUCCESS_MATCH" },
                    Values =
                    [
                        new ResolutionValueWrapper { Value = new ResolutionValue { Name = "本番", Id = "prod" } },
                        new ResolutionValueWrapper(),
                    ],
                },
                new ResolutionAuthority { Status = new ResolutionStatus(), Values = [] },
            ],
        },
        SlotValue = new SlotValue
        {
            Type = "List",
            Values =
            [
                new SlotValue { Type = "Simple", Value = "web one", Resolutions = new Resolutions { ResolutionsPerAuthority = [] } },
                new SlotValue { Type = "Simple", Value = "ウェブ" },
            ],
        },
    };

    private static Intent FullIntent() => new()
    {
        Name = "IsolateIntent",
        ConfirmationStatus = "NONE",
        Slots = new Dictionary<string, Slot>
        {
            ["Target"] = FullSlot("Target"),
            ["空"] = new Slot(),
            ["\"quoted\" <key>"] = new Slot { Name = "x", SlotValue = new SlotValue() },
        },
    };

    private static ScreenData FullScreen() => new()
    {
        Title = "スキャン結果 <3>",
        Subtitle = "scan \"nightly\" at 06:00",
        Summary = Awkward,
        BarsTitle = "Findings & more",
        Bars =
        [
            new ScreenBar { Label = "Critical", Count = 12, Text = "12", Width = "100%", Color = "#d13212" },
            new ScreenBar { Label = "Low", Count = -1, Text = "at least 2", Width = "0%", Color = "" },
            new ScreenBar { Label = "Max", Count = long.MaxValue, Text = "", Width = "1%", Color = "red" },
        ],
        ListTitle = "Instances",
        Items =
        [
            new ScreenItem { Id = "i-0a1b2c3d4e5f60001", Title = "web-1", Detail = "2 critical", Badge = "Critical", Color = "#d13212",
                Lines = ["eth0: sg-1 → sg-quarantine", "", Awkward] },
            new ScreenItem(),
        ],
        More = "and 12 more",
        Hint = "「ウェブ１の詳細」と言ってください",
    };

    private static AplRenderDocument FullScreenDirective() => new()
    {
        Token = "scanResults",
        Document = Json("""
            {"type":"APL","version":"2023.3","mainTemplate":{"parameters":["screen"],"items":[{"type":"Container",
            "items":[{"type":"Text","text":"${screen.title} <b>&amp;</b> \u00e9\u3042\"q\" \\ \/","fontSize":"40dp","n":-1.50e3,
            "ok":true,"none":null,"empty":{},"list":[],"nested":[[1,2],[{"a":"\ud83d\udee1"}]]}]}]}}
            """),
        DataSources = new Dictionary<string, ScreenData> { ["screen"] = FullScreen(), ["other"] = new ScreenData() },
    };

    /// <summary>A response with every type and every property set, nulls and empties among them.</summary>
    private static SkillResponse Everything() => new()
    {
        Version = "1.0",
        SessionAttributes = new Dictionary<string, JsonElement>
        {
            ["state"] = Json("""{"v":2,"pending":{"intent":"IsolateIntent","ids":["i-1","i-2"],"at":"2026-12-07T05:00:00Z"},"n":null}"""),
            ["sig"] = Json("\"abc+/=\""),
            ["count"] = Json("3.25"),
            ["flag"] = Json("false"),
            ["日本語 <key> & \"q\""] = Json("\"値 <&> \\u0001\""),
            ["empty"] = Json("{}"),
        },
        Response = new ResponseBody
        {
            OutputSpeech = new OutputSpeech { Type = "SSML", Text = "plain \"too\"", Ssml = Awkward, PlayBehavior = "REPLACE_ENQUEUED" },
            Card = new Card
            {
                Type = "Standard", Title = "隔離 & <done>", Content = "content\nline", Text = Awkward,
                Image = new CardImage { SmallImageUrl = "https://example.com/s.png?a=1&b=2", LargeImageUrl = "https://example.com/l.png" },
            },
            Reprompt = new Reprompt { OutputSpeech = OutputSpeech.FromSsml("続けますか？ yes &amp; no") },
            ShouldEndSession = false,
            Directives =
            [
                new DialogDelegate { UpdatedIntent = FullIntent() },
                new DialogDelegate(),
                new DialogElicitSlot { SlotToElicit = "Target", UpdatedIntent = FullIntent() },
                new DialogElicitSlot(),
                new DialogConfirmSlot { SlotToConfirm = "Target", UpdatedIntent = FullIntent() },
                new DialogConfirmSlot(),
                new DialogConfirmIntent { UpdatedIntent = FullIntent() },
                new DialogConfirmIntent { UpdatedIntent = new Intent() },
                new DialogUpdateDynamicEntities
                {
                    UpdateBehavior = "REPLACE",
                    Types =
                    [
                        new DynamicSlotType
                        {
                            Name = "TagValue",
                            Values =
                            [
                                new DynamicSlotValue
                                {
                                    Id = "prod", Name = new DynamicSlotName { Value = "本番", Synonyms = ["production", "prod <1>", ""] },
                                },
                                new DynamicSlotValue { Name = new DynamicSlotName { Value = "staging" } },
                                new DynamicSlotValue { Name = new DynamicSlotName { Value = "empty", Synonyms = [] } },
                            ],
                        },
                        new DynamicSlotType { Name = "Account" },
                    ],
                },
                new DialogUpdateDynamicEntities { UpdateBehavior = "CLEAR" },
                new DialogUpdateDynamicEntities { Types = [] },
                new VoicePlayerSpeak { Speech = Awkward },
                new VoicePlayerSpeak(),
                FullScreenDirective(),
                new AplRenderDocument { Token = "", Document = Json("{}") },
                new Directive(),
            ],
            CanFulfillIntent = new CanFulfillIntent
            {
                CanFulfill = "MAYBE",
                Slots = new Dictionary<string, CanFulfillSlot>
                {
                    ["Target"] = new CanFulfillSlot { CanUnderstand = "YES", CanFulfill = "NO" },
                    ["タグ"] = new CanFulfillSlot(),
                },
            },
        },
    };

    public static TheoryData<string> Cases => new(CaseBuilders.Keys);

    // Built fresh per case: ResponseLimits mutates responses, and a case must not see another's edits.
    private static readonly Dictionary<string, Func<SkillResponse>> CaseBuilders = new(StringComparer.Ordinal)
    {
        ["everything"] = Everything,
        ["empty"] = () => new SkillResponse(),
        ["plain speech, session ends"] = () => new SkillResponse
        {
            Response = { OutputSpeech = OutputSpeech.Plain("Goodbye."), ShouldEndSession = true },
        },
        ["empty collections"] = () => new SkillResponse
        {
            SessionAttributes = [],
            Response = new ResponseBody
            {
                Directives = [],
                Reprompt = new Reprompt(),
                Card = Card.Simple("", ""),
                CanFulfillIntent = new CanFulfillIntent { Slots = [] },
            },
        },
        ["simple card, no image urls, ja-JP speech"] = () => new SkillResponse
        {
            Version = "1.0",
            Response =
            {
                OutputSpeech = OutputSpeech.FromSsml("ウェブ１（i-0a1b…0001）を隔離しました。"),
                Card = new Card { Title = "結果", Content = "１件", Image = new CardImage() },
                CanFulfillIntent = new CanFulfillIntent(),
            },
        },
        // Properties declared non-nullable can still hold null at run time; the serializer leaves them out.
        ["nulls in non-nullable properties"] = () => new SkillResponse
        {
            Version = null!,
            Response = new ResponseBody
            {
                OutputSpeech = new OutputSpeech { Type = null! },
                Card = new Card { Type = null! },
                Directives =
                [
                    new DialogElicitSlot { SlotToElicit = null! },
                    new DialogConfirmSlot { SlotToConfirm = null! },
                    new DialogUpdateDynamicEntities
                    {
                        UpdateBehavior = null!,
                        Types =
                        [
                            new DynamicSlotType { Name = null!, Values = null! },
                            new DynamicSlotType { Values = [new DynamicSlotValue { Name = null! }] },
                        ],
                    },
                    new VoicePlayerSpeak { Speech = null! },
                    new AplRenderDocument
                    {
                        Token = null!, Document = Json("[1,\"two\",null]"),
                        DataSources = new Dictionary<string, ScreenData>
                        {
                            ["screen"] = new ScreenData
                            {
                                Title = null!, Items = null!,
                                Bars = [new ScreenBar { Label = null!, Text = null!, Width = null!, Color = null! }],
                            },
                            ["more"] = new ScreenData
                            {
                                Items =
                                [
                                    new ScreenItem { Id = null!, Title = null!, Detail = null!, Badge = null!, Color = null!, Lines = null! },
                                ],
                            },
                        },
                    },
                    new AplRenderDocument { Document = Json("\"just a string\""), DataSources = null! },
                ],
                CanFulfillIntent = new CanFulfillIntent
                {
                    CanFulfill = null!,
                    Slots = new Dictionary<string, CanFulfillSlot>
                    {
                        ["s"] = new CanFulfillSlot { CanUnderstand = null!, CanFulfill = null! },
                    },
                },
            },
        },
        // Null entries in lists and dictionaries are written as null, not left out.
        ["null entries"] = () => new SkillResponse
        {
            Response = new ResponseBody
            {
                Directives =
                [
                    null!,
                    new DialogDelegate
                    {
                        UpdatedIntent = new Intent
                        {
                            Slots = new Dictionary<string, Slot>
                            {
                                ["a"] = null!,
                                ["b"] = new Slot
                                {
                                    Resolutions = new Resolutions
                                    {
                                        ResolutionsPerAuthority = [null!, new ResolutionAuthority { Values = [null!] }],
                                    },
                                    SlotValue = new SlotValue { Values = [null!] },
                                },
                            },
                        },
                    },
                    new DialogUpdateDynamicEntities
                    {
                        Types =
                        [
                            null!,
                            new DynamicSlotType
                            {
                                Values = [null!, new DynamicSlotValue { Name = new DynamicSlotName { Synonyms = [null!] } }],
                            },
                        ],
                    },
                    new AplRenderDocument
                    {
                        Document = Json("null"),
                        DataSources = new Dictionary<string, ScreenData>
                        {
                            ["a"] = null!,
                            ["b"] = new ScreenData { Bars = [null!], Items = [null!, new ScreenItem { Lines = [null!] }] },
                        },
                    },
                ],
                CanFulfillIntent = new CanFulfillIntent { Slots = new Dictionary<string, CanFulfillSlot> { ["a"] = null! } },
            },
        },
        ["null response body"] = () => new SkillResponse { Response = null! },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToUtf8Bytes_ForAHandBuiltResponse_EqualsTheSerializersBytes(string name)
    {
        var expected = Stj(CaseBuilders[name]());

        var actual = Writer(CaseBuilders[name]());

        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// The comparison with the serializer covers only what a case sets: this keeps <see cref="Everything"/> setting every
    /// property of every type a response can hold, so a property added to the contract and forgotten by the writer fails here.
    /// </summary>
    [Fact]
    public void Everything_SetsEveryPropertyOfEveryTypeAResponseCanHold()
    {
        var declared = new SortedSet<string>(StringComparer.Ordinal);
        var set = new HashSet<string>(StringComparer.Ordinal);
        var types = new HashSet<Type>();

        void Declare(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!types.Add(type)) return;
            var info = AlexaJsonContext.Wire.GetTypeInfo(type)!;
            foreach (var derived in info.PolymorphismOptions?.DerivedTypes ?? []) Declare(derived.DerivedType);
            if (info.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
            {
                foreach (var property in info.Properties)
                {
                    declared.Add(type.Name + "." + property.Name);
                    Declare(property.PropertyType);
                }
            }
            else if (info.ElementType is { } element) Declare(element);
        }

        void Visit(object? value)
        {
            if (value is null) return;
            // A runtime type the contract does not declare (say an array behind an IList) holds nothing of its own to check.
            if (AlexaJsonContext.Wire.GetTypeInfo(value.GetType()) is not { } info) return;
            switch (info.Kind)
            {
                case System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object:
                    foreach (var property in info.Properties)
                    {
                        // Properties the generator reads through the fast path carry no getter here: read them as members.
                        var inner = property.Get is { } get ? get(value)
                            : (property.AttributeProvider as System.Reflection.PropertyInfo)?.GetValue(value);
                        if (inner is null) continue;
                        set.Add(value.GetType().Name + "." + property.Name);
                        Visit(inner);
                    }
                    break;
                case System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Dictionary:
                    foreach (var inner in ((System.Collections.IDictionary)value).Values) Visit(inner);
                    break;
                case System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Enumerable:
                    foreach (var inner in (System.Collections.IEnumerable)value) Visit(inner);
                    break;
            }
        }

        Declare(typeof(SkillResponse));
        Visit(Everything());

        Assert.True(declared.Count > 60, string.Join(", ", declared));
        var missing = declared.Where(p => !set.Contains(p)).ToList();
        Assert.True(missing.Count == 0, "not set by Everything(): " + string.Join(", ", missing));
    }

    [Fact]
    public void ToUtf8Bytes_ForEverything_WritesEveryPropertyInTheSerializersOrder()
    {
        // Pins the facts the writer is built on, so that a change in the serializer shows here by name.
        var json = Writer(Everything());

        Assert.StartsWith("""{"version":"1.0","sessionAttributes":{"state":{"v":2,""", json, StringComparison.Ordinal);
        Assert.Contains(""","response":{"outputSpeech":{"type":"SSML","text":"plain \"too\"","ssml":"<speak>R&amp;D's \"web-1\" """,
            json, StringComparison.Ordinal);
        Assert.Contains("""a\\b\t\n\r\u0001\u001F\u007F ウェブサーバー１を隔離しました。é """
            + """\uD83D\uDEE1 + ' ` \u2028\u2029 </script></speak>""",
            json, StringComparison.Ordinal);
        Assert.Contains("""},"shouldEndSession":false,"directives":[{"type":"Dialog.Delegate","updatedIntent":{"name":"IsolateIntent",""",
            json, StringComparison.Ordinal);
        Assert.Contains("""{"type":"Dialog.ElicitSlot","slotToElicit":"Target","updatedIntent":""", json, StringComparison.Ordinal);
        Assert.Contains("""{"type":"Dialog.ElicitSlot","slotToElicit":""},""", json, StringComparison.Ordinal);
        Assert.Contains("""{"type":"Dialog.UpdateDynamicEntities","updateBehavior":"REPLACE","types":"""
            + """[{"name":"TagValue","values":[{"id":"prod",""",
            json, StringComparison.Ordinal);
        Assert.Contains("""{"type":"Alexa.Presentation.APL.RenderDocument","token":"scanResults","document":{"type":"APL",""", json,
            StringComparison.Ordinal);
        Assert.Contains("""{"label":"Low","count":-1,"text":"at least 2","width":"0%","color":""}""", json, StringComparison.Ordinal);
        // A directive of no known type is written as the serializer writes the base class: no discriminator, no properties.
        Assert.EndsWith("""{"type":"Alexa.Presentation.APL.RenderDocument","token":"","document":{},"datasources":{}},{}],"canFulfillIntent":"""
            + """{"canFulfill":"MAYBE","slots":{"Target":{"canUnderstand":"YES","canFulfill":"NO"},"""
            + "\"タグ\":{\"canUnderstand\":\"NO\",\"canFulfill\":\"NO\"}}}}}",
            json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToUtf8Bytes_ForADirectiveTypeTheContractDoesNotDeclare_FailsAsTheSerializerDoes()
    {
        static SkillResponse Response() => new() { Response = { Directives = [new UndeclaredDirective()] } };

        Assert.Throws<NotSupportedException>(() => Stj(Response()));
        Assert.Throws<NotSupportedException>(() => Writer(Response()));
    }

    [Fact]
    public void ToUtf8Bytes_ForADocumentThatWasNeverSet_FailsAsTheSerializerDoes()
    {
        static SkillResponse Response() => new() { Response = { Directives = [new AplRenderDocument { Token = "t" }] } };

        var expected = Record.Exception(() => Stj(Response()));
        var actual = Record.Exception(() => Writer(Response()));

        Assert.NotNull(expected);
        Assert.IsType(expected.GetType(), actual);
    }

    [Fact]
    public void ToUtf8Bytes_ForABrokenSurrogate_WritesAReplacementCharacterAsTheSerializerDoes()
    {
        static SkillResponse Response() => new() { Response = { OutputSpeech = OutputSpeech.Plain("half \ud83d") } };

        var actual = Writer(Response());

        Assert.Equal(Stj(Response()), actual);
        Assert.Contains("half \\uFFFD", actual, StringComparison.Ordinal);
    }

    private sealed class UndeclaredDirective : Directive
    {
        public override string Type => "Undeclared";
    }
}
