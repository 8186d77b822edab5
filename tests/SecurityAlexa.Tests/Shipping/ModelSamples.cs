using System.Text.RegularExpressions;
using SecurityAlexa.Local.Chat;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// An interaction model's sample utterances, as a user would say them: each sample of each intent and slot, with its
/// slot references filled from a table of what is said and what it must resolve to. Shared by the English and Japanese
/// model tests.
/// </summary>
internal static partial class ModelSamples
{
    /// <summary>Every sample in the model: intent, the slot it elicits (null for the intent's own), the sample.</summary>
    public static TheoryData<string, string?, string> Every(InteractionModel model)
    {
        var data = new TheoryData<string, string?, string>();
        foreach (var intent in model.Intents)
        {
            foreach (var sample in intent.Samples) data.Add(intent.Name, null, sample);
            foreach (var slot in intent.Slots)
                foreach (var sample in slot.Samples) data.Add(intent.Name, slot.Name, sample);
        }
        return data;
    }

    /// <summary>
    /// Says the sample with its slots filled from <paramref name="examples"/> (by slot type), matches it as the local chat
    /// does, and asserts that it resolves to its own intent with every slot's expected value.
    /// </summary>
    public static void AssertResolves(InteractionModel model, UtteranceMatcher matcher,
        IReadOnlyDictionary<string, (string Said, string Resolved)> examples, string intent, string? elicitedSlot, string sample)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var utterance = SlotReference().Replace(sample, m =>
        {
            var slot = model.Intent(intent)!.Slot(m.Groups[1].Value)!;
            expected[slot.Name] = examples[slot.Type].Resolved;
            return examples[slot.Type].Said;
        });

        var match = elicitedSlot is null ? matcher.Match(utterance) : matcher.MatchInDialog(utterance, intent, elicitedSlot);

        Assert.NotNull(match);
        Assert.Equal(intent, match.Intent);
        foreach (var (slot, value) in expected)
            Assert.Equal(value, match.Slots[slot].ResolvedName ?? match.Slots[slot].Value);
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex SlotReference();
}
