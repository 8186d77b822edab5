using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SecurityAlexa.Local.Chat;

/// <summary>
/// Resolves typed utterances to intents and slots using the interaction model's own sample utterances,
/// the way Alexa's language understanding does for a skill (closely enough to test the model): slots take
/// any words, custom slot types resolve against their values and synonyms, number slots accept digits or words.
/// Japanese has no spaces between words, so for ja-JP every character is a token: samples, slot values and
/// what was typed are compared character by character, and a slot takes any run of characters.
/// </summary>
internal sealed partial class UtteranceMatcher
{
    // Alexa's own phrases for built-in intents, which skills do not list in their samples.
    private static readonly Dictionary<string, string[]> BuiltInPhrases = new(StringComparer.Ordinal)
    {
        ["AMAZON.HelpIntent"] = ["help", "help me", "what can i do", "i need help"],
        ["AMAZON.StopIntent"] = ["stop", "shut up", "be quiet", "off", "stop it"],
        ["AMAZON.CancelIntent"] = ["cancel", "never mind", "nevermind", "forget it", "cancel that", "cancel it"],
        ["AMAZON.YesIntent"] = ["yes", "yeah", "yep", "yup", "sure", "ok", "okay", "go ahead", "do it", "yes please", "confirm", "correct",
            "please do", "affirmative", "that's right", "yes go ahead", "sure go ahead"],
        ["AMAZON.NoIntent"] = ["no", "nope", "no thanks", "don't", "do not", "negative", "no way", "not now", "no don't", "no thank you"],
        ["AMAZON.NavigateHomeIntent"] = ["go home", "home", "start over", "main menu"],
    };

    private const double LiteralWeight = 2.0;
    private const double ResolvedWeight = 1.5;
    private const double UnresolvedWeight = -0.5;
    private const double ContextBonus = 1.0;
    private const int MaxSlotWords = 8;

    // A spoken address is said digit by digit ("two oh three dot zero dot one one three dot five" is 11 words; IPv6 more).
    private const int MaxAddressWords = 48;

    // A Japanese slot value is counted in characters ("ステージング環境" is 8).
    private const int MaxSlotCharacters = 24;

    // Alexa's ja-JP phrases for the built-in intents.
    private static readonly Dictionary<string, string[]> JapaneseBuiltInPhrases = new(StringComparer.Ordinal)
    {
        ["AMAZON.HelpIntent"] = ["ヘルプ", "助けて", "ヘルプをお願い", "使い方"],
        ["AMAZON.StopIntent"] = ["ストップ", "止めて", "終了", "終了して", "終わり", "もういい"],
        ["AMAZON.CancelIntent"] = ["キャンセル", "キャンセルして", "取り消し", "取り消して", "やっぱりいい"],
        ["AMAZON.YesIntent"] = ["はい", "うん", "ええ", "お願い", "お願いします", "はいお願いします", "実行して", "いいよ", "オッケー", "どうぞ", "そうです", "進めて", "はい進めて"],
        ["AMAZON.NoIntent"] = ["いいえ", "いや", "だめ", "しないで", "結構です", "やめておく", "やめておきます", "いいえやめて"],
        ["AMAZON.NavigateHomeIntent"] = ["ホーム", "最初から", "メインメニュー", "最初に戻って"],
    };

    private readonly InteractionModel _model;
    private readonly List<Pattern> _intentPatterns = [];
    private readonly Dictionary<string, List<Pattern>> _slotPatterns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, ModelSlotValue>> _valuesByType = new(StringComparer.Ordinal);

    // Today, for dates said relative to it ("yesterday", "this week").
    private readonly Func<DateTimeOffset> _now;

    public UtteranceMatcher(InteractionModel model, string locale = "en-US", Func<DateTimeOffset>? now = null)
    {
        _model = model;
        _now = now ?? (() => DateTimeOffset.UtcNow);
        ByCharacter = locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase);
        var builtIns = ByCharacter ? JapaneseBuiltInPhrases : BuiltInPhrases;
        foreach (var type in model.Types.Values)
        {
            var lookup = new Dictionary<string, ModelSlotValue>(StringComparer.Ordinal);
            foreach (var value in type.Values)
            {
                foreach (var phrase in value.Synonyms.Prepend(value.Name))
                    lookup.TryAdd(Heard(Tokens(phrase)), value);
            }
            _valuesByType[type.Name] = lookup;
        }
        foreach (var intent in model.Intents)
        {
            var samples = intent.Samples.AsEnumerable();
            if (builtIns.TryGetValue(intent.Name, out var phrases)) samples = samples.Concat(phrases);
            foreach (var sample in samples) _intentPatterns.Add(Pattern.Parse(intent, sample, Tokens));
            foreach (var slot in intent.Slots)
                _slotPatterns[Key(intent.Name, slot.Name)] = slot.Samples.Select(s => Pattern.Parse(intent, s, Tokens)).ToList();
        }
    }

    /// <summary>Adds values to a slot type, as Dialog.UpdateDynamicEntities teaches Alexa for the session.</summary>
    public void Teach(string type, IEnumerable<ModelSlotValue> values)
    {
        if (!_valuesByType.TryGetValue(type, out var lookup)) _valuesByType[type] = lookup = new(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var phrase in value.Synonyms.Prepend(value.Name))
                lookup.TryAdd(Heard(Tokens(phrase)), value);
        }
    }

    /// <summary>True when utterances are compared character by character (Japanese).</summary>
    public bool ByCharacter { get; }

    /// <summary>
    /// The tokens an utterance is compared by: <see cref="Words"/>, or for Japanese each letter or digit after
    /// folding full-width ASCII ("ウェブ１" is "ウェブ1"), with spaces and punctuation dropped.
    /// </summary>
    public IReadOnlyList<string> Tokens(string text)
    {
        if (!ByCharacter) return Words(text);
        var tokens = new List<string>(text.Length);
        foreach (var c in NumberWords.FoldWidth(text).ToLower(CultureInfo.InvariantCulture))
            if (char.IsLetterOrDigit(c)) tokens.Add(c.ToString());
        return tokens;
    }

    // The text a slot heard, from its tokens: words with spaces, characters run together.
    private string Heard(IEnumerable<string> tokens) => string.Join(ByCharacter ? "" : " ", tokens);

    /// <summary>
    /// Entity resolution of a value already in a slot (from a dialog directive's updatedIntent): a match or no match
    /// for a custom slot type, null for a built-in type.
    /// </summary>
    public SlotFill? Resolve(string slotName, string type, string value)
    {
        if (!_valuesByType.TryGetValue(type, out var values)) return null;
        return values.TryGetValue(Heard(Tokens(value)), out var match)
            ? new SlotFill(slotName, type, value, SlotResolution.Match, match.Name, match.Id ?? match.Name)
            : new SlotFill(slotName, type, value, SlotResolution.NoMatch);
    }

    /// <summary>The best intent for an utterance outside any dialog, or null when nothing matches.</summary>
    public IntentMatch? Match(string utterance) => Best(Tokens(utterance), null, null);

    /// <summary>
    /// The best intent while the dialog is on <paramref name="intent"/> (eliciting <paramref name="slot"/>, or
    /// confirming when null): that intent's samples and slot samples count, and win a near tie; other intents
    /// (cancel, help, a new question) still match when they fit better.
    /// </summary>
    public IntentMatch? MatchInDialog(string utterance, string intent, string? slot) => Best(Tokens(utterance), intent, slot);

    /// <summary>Whether the utterance is one of the phrases of a built-in intent ("yes", "no").</summary>
    public bool IsPhraseOf(string utterance, string builtInIntent)
    {
        var match = Match(utterance);
        return match is not null && match.Intent == builtInIntent;
    }

    /// <summary>Lower case words without punctuation; hyphens split words, apostrophes stay ("web-1" → "web", "1").</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLower(CultureInfo.InvariantCulture))
            builder.Append(char.IsLetterOrDigit(c) || c == '\'' ? c : ' ');
        return builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => w.Trim('\''))
            .Where(w => w.Length > 0)
            .ToList();
    }

    private IntentMatch? Best(IReadOnlyList<string> words, string? dialogIntent, string? elicitedSlot)
    {
        if (words.Count == 0) return null;
        IntentMatch? best = null;

        void Consider(Pattern pattern, double bonus, bool allowSlotOnly)
        {
            if (!allowSlotOnly && pattern.LiteralCount == 0) return;
            foreach (var candidate in pattern.Matches(words, this))
            {
                var score = candidate.Score + bonus;
                if (score <= 0) continue;
                if (best is null || score > best.Score) best = candidate with { Score = score };
            }
        }

        foreach (var pattern in _intentPatterns)
            Consider(pattern, pattern.Intent == dialogIntent ? ContextBonus : 0, allowSlotOnly: false);

        if (dialogIntent is not null && _model.Intent(dialogIntent) is { } current)
        {
            // The elicited slot's own samples first; other slots of the same intent may be answered too ("web-1" for "which ones?").
            foreach (var slot in current.Slots)
            {
                if (!_slotPatterns.TryGetValue(Key(current.Name, slot.Name), out var patterns)) continue;
                var bonus = ContextBonus + (slot.Name == elicitedSlot ? 0.25 : 0);
                foreach (var pattern in patterns) Consider(pattern, bonus, allowSlotOnly: true);
            }
        }
        return best;
    }

    private SlotFill? Fill(ModelSlot slot, IReadOnlyList<string> words, out double score)
    {
        score = 0;
        var heard = Heard(words);
        switch (slot.Type)
        {
            case "AMAZON.NUMBER" when ByCharacter:
                // Alexa's ja-JP number slots deliver digits, whether "3", "３" or "三" was said.
                if (!NumberWords.TryParseJapanese(heard, out var japanese)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, japanese.ToString(CultureInfo.InvariantCulture), SlotResolution.BuiltIn);
            case "AMAZON.FOUR_DIGIT_NUMBER" when ByCharacter:
                if (!NumberWords.TryParseJapaneseFourDigits(heard, out var code)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, code, SlotResolution.BuiltIn);
            case "AMAZON.DURATION" when ByCharacter:
                if (!SpokenTimes.TryParseJapaneseDuration(heard, out var jaSpan)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, jaSpan, SlotResolution.BuiltIn);
            case "AMAZON.DATE" when ByCharacter:
                if (!SpokenTimes.TryParseJapaneseDate(heard, _now(), out var jaDate)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, jaDate, SlotResolution.BuiltIn);
            case "AMAZON.DURATION":
                if (!SpokenTimes.TryParseDuration(words, out var span)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, span, SlotResolution.BuiltIn);
            case "AMAZON.DATE":
                if (!SpokenTimes.TryParseDate(words, _now(), out var date)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, date, SlotResolution.BuiltIn);
            case "AMAZON.NUMBER":
                if (!NumberWords.TryParseNumber(words, out var number)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, number.ToString(CultureInfo.InvariantCulture), SlotResolution.BuiltIn);
            case "AMAZON.FOUR_DIGIT_NUMBER":
                if (!NumberWords.TryParseFourDigits(words, out var digits)) return null;
                score = ResolvedWeight;
                return new SlotFill(slot.Name, slot.Type, digits, SlotResolution.BuiltIn);
        }
        if (!_valuesByType.TryGetValue(slot.Type, out var values))
            return new SlotFill(slot.Name, slot.Type, heard, SlotResolution.BuiltIn);
        if (values.TryGetValue(heard, out var value))
        {
            score = ResolvedWeight;
            return new SlotFill(slot.Name, slot.Type, heard, SlotResolution.Match, value.Name, value.Id ?? value.Name);
        }
        // Custom slots take any words, as on Alexa, but an unresolved value is weak evidence for the sample.
        score = UnresolvedWeight;
        return new SlotFill(slot.Name, slot.Type, heard, SlotResolution.NoMatch);
    }

    private static string Key(string intent, string slot) => intent + "/" + slot;

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex SlotReference();

    /// <summary>One sample utterance, compiled into literal words and slot references.</summary>
    private sealed class Pattern
    {
        private readonly List<(string? Word, ModelSlot? Slot)> _parts;

        private Pattern(string intent, string sample, List<(string? Word, ModelSlot? Slot)> parts)
        {
            Intent = intent;
            Sample = sample;
            _parts = parts;
            LiteralCount = parts.Count(p => p.Word is not null);
        }

        public string Intent { get; }

        public string Sample { get; }

        public int LiteralCount { get; }

        public static Pattern Parse(ModelIntent intent, string sample, Func<string, IReadOnlyList<string>> tokens)
        {
            var parts = new List<(string?, ModelSlot?)>();
            var position = 0;
            foreach (Match m in SlotReference().Matches(sample))
            {
                parts.AddRange(tokens(sample[position..m.Index]).Select(w => ((string?)w, (ModelSlot?)null)));
                var slot = intent.Slot(m.Groups[1].Value)
                    ?? throw new FormatException(
                        $"Sample \"{sample}\" of {intent.Name} names slot {m.Groups[1].Value}, which the intent does not define.");
                parts.Add((null, slot));
                position = m.Index + m.Length;
            }
            parts.AddRange(tokens(sample[position..]).Select(w => ((string?)w, (ModelSlot?)null)));
            return new Pattern(intent.Name, sample, parts);
        }

        public IEnumerable<IntentMatch> Matches(IReadOnlyList<string> words, UtteranceMatcher matcher)
        {
            var results = new List<IntentMatch>();
            Walk(0, 0, [], LiteralCount * LiteralWeight);
            return results;

            void Walk(int part, int word, Dictionary<string, SlotFill> slots, double score)
            {
                if (part == _parts.Count)
                {
                    if (word == words.Count) results.Add(new IntentMatch(Intent, new Dictionary<string, SlotFill>(slots), score, Sample));
                    return;
                }
                var (literal, slot) = _parts[part];
                if (literal is not null)
                {
                    if (word < words.Count && words[word] == literal) Walk(part + 1, word + 1, slots, score);
                    return;
                }
                var remainingParts = _parts.Count - part - 1;
                var longest = matcher.ByCharacter ? MaxSlotCharacters * (slot!.Type == "IP_ADDRESS" ? 4 : 1)
                    : slot!.Type == "IP_ADDRESS" ? MaxAddressWords : MaxSlotWords;
                for (var length = 1; length <= longest && word + length + remainingParts <= words.Count; length++)
                {
                    var fill = matcher.Fill(slot!, words.Skip(word).Take(length).ToList(), out var slotScore);
                    if (fill is null) continue;
                    slots[slot!.Name] = fill;
                    Walk(part + 1, word + length, slots, score + slotScore);
                    slots.Remove(slot.Name);
                }
            }
        }
    }
}
