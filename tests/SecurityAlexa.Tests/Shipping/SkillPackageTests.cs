using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityAlexa.Local.Chat;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>The skill package is buildable and consistent: samples, slot types, dialog prompts, manifest, ASK CLI config.</summary>
public sealed partial class SkillPackageTests
{
    private static readonly InteractionModel Model = InteractionModel.Load(RepoFiles.ModelPath);

    public static TheoryData<string, int> SampleMinimums => new()
    {
        { "ScanIntent", 20 }, { "ScanResultsIntent", 20 }, { "PatchIntent", 20 }, { "IsolateIntent", 20 }, { "ReleaseIntent", 20 },
        { "EnableScanningIntent", 10 }, { "PatchStatusIntent", 10 }, { "PatchDryRunIntent", 10 }, { "IsolationStatusIntent", 10 },
        { "BlockedTrafficIntent", 10 },
    };

    [Fact]
    public void InvocationName_IsTwoLowerCaseWordsWithoutReservedWords()
    {
        var words = Model.InvocationName.Split(' ');

        Assert.Equal("security assistant", Model.InvocationName);
        Assert.All(words, w => Assert.Matches("^[a-z]+$", w));
        Assert.DoesNotContain(words, w => w is "alexa" or "amazon" or "echo" or "skill" or "app");
    }

    [Theory]
    [MemberData(nameof(SampleMinimums))]
    public void Intent_Samples_AreManyEnoughForTheWaysPeopleSayIt(string intent, int minimum) =>
        Assert.InRange(Model.Intent(intent)!.Samples.Count, minimum, int.MaxValue);

    [Fact]
    public void Samples_UseOnlyWordsAlexaAccepts_AndSlotsTheirIntentDefines()
    {
        var problems = new List<string>();
        foreach (var intent in Model.Intents)
        {
            var samples = intent.Samples.Select(s => (Where: intent.Name, Sample: s))
                .Concat(intent.Slots.SelectMany(slot => slot.Samples.Select(s => (Where: $"{intent.Name}.{slot.Name}", Sample: s))));
            foreach (var (where, sample) in samples)
            {
                // Alexa rejects digits and most punctuation in samples: numbers are spelled out, slots are {Name}.
                if (!SampleText().IsMatch(sample)) problems.Add($"{where}: \"{sample}\" has characters Alexa does not accept");
                foreach (Match slot in SlotReference().Matches(sample))
                    if (intent.Slot(slot.Groups[1].Value) is null) problems.Add($"{where}: \"{sample}\" names {slot.Groups[1].Value}, which {intent.Name} lacks");
            }
            foreach (var slot in intent.Slots.Where(s => s.Samples.Count > 0))
                problems.AddRange(slot.Samples.Where(s => !s.Contains("{" + slot.Name + "}", StringComparison.Ordinal))
                    .Select(s => $"{intent.Name}.{slot.Name}: slot sample \"{s}\" does not contain {{{slot.Name}}}"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Samples_AreNotRepeatedWithinOrAcrossIntents()
    {
        var repeated = Model.Intents
            .SelectMany(i => i.Samples.Select(s => (Intent: i.Name, Sample: string.Join(' ', s.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)))))
            .GroupBy(x => x.Sample)
            .Where(g => g.Count() > 1)
            .Select(g => $"\"{g.Key}\" in {string.Join(", ", g.Select(x => x.Intent))}")
            .ToList();

        Assert.Empty(repeated);
    }

    [Fact]
    public void SlotTypes_UsedBySlots_AreDefinedOrBuiltIn_AndEachDefinedTypeIsUsed()
    {
        var used = Model.Intents.SelectMany(i => i.Slots).Select(s => s.Type).ToHashSet(StringComparer.Ordinal);

        Assert.All(used, t => Assert.True(t.StartsWith("AMAZON.", StringComparison.Ordinal) || Model.Types.ContainsKey(t), $"slot type {t} is not defined"));
        Assert.All(Model.Types.Keys, t => Assert.Contains(t, used));
    }

    [Theory]
    [InlineData("TAG_KEY", "Environment")]
    [InlineData("TAG_KEY", "Role")]
    [InlineData("TAG_KEY", "Name")]
    [InlineData("TAG_VALUE", "prod")]
    [InlineData("TAG_VALUE", "staging")]
    [InlineData("TAG_VALUE", "dev")]
    [InlineData("TAG_VALUE", "web")]
    [InlineData("TAG_VALUE", "db")]
    [InlineData("TAG_VALUE", "api")]
    [InlineData("INSTANCE_NAME", "web-1")]
    [InlineData("INSTANCE_NAME", "db-1")]
    [InlineData("INSTANCE_NAME", "dev-2")]
    [InlineData("WHICH_ONES", "all")]
    [InlineData("WHICH_ONES", "none")]
    [InlineData("SCOPE", "vulnerable")]
    [InlineData("SEVERITY", "critical")]
    public void SlotType_ForTheSandboxFleet_HasTheValue(string type, string value) =>
        Assert.Contains(Model.Types[type].Values, v => v.Name == value);

    [Fact]
    public void DialogModel_RefersOnlyToIntentsSlotsAndPromptsThatExist()
    {
        var problems = new List<string>();
        foreach (var (name, rules) in Model.Dialog)
        {
            var intent = Model.Intent(name);
            if (intent is null) { problems.Add($"dialog intent {name} is not in the language model"); continue; }
            if (rules.ConfirmationPrompt is { } c && !Model.Prompts.ContainsKey(c)) problems.Add($"{name}: prompt {c} is missing");
            if (rules.ConfirmationRequired && rules.ConfirmationPrompt is null) problems.Add($"{name}: confirmation without a prompt");
            foreach (var slot in rules.Slots)
            {
                if (intent.Slot(slot.Name) is null) problems.Add($"{name}: dialog slot {slot.Name} is not on the intent");
                if (slot.ElicitationPrompt is { } e && !Model.Prompts.ContainsKey(e)) problems.Add($"{name}.{slot.Name}: prompt {e} is missing");
                if (slot.ElicitationRequired && slot.ElicitationPrompt is null) problems.Add($"{name}.{slot.Name}: required without a prompt");
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("PatchIntent", "Selection")]
    [InlineData("PatchIntent", "ConfirmCount")]
    [InlineData("PatchIntent", "SecurityCode")]
    [InlineData("IsolateIntent", "InstanceName")]
    [InlineData("IsolateIntent", "SecurityCode")]
    [InlineData("ReleaseIntent", "InstanceName")]
    public void DialogModel_ForASlotTheHandlersElicit_HasAPromptAndAnswerSamples(string intent, string slot)
    {
        var rules = Model.Dialog[intent].Slots.Single(s => s.Name == slot);

        Assert.NotNull(rules.ElicitationPrompt);
        Assert.NotEmpty(Model.Intent(intent)!.Slot(slot)!.Samples);
    }

    [Fact]
    public void DialogModel_ForEveryIntentThatChangesTheAccount_TheSkillCanElicitTheCountAndTheCode()
    {
        // The count-back and the security guard elicit these on whatever mutating intent is in progress;
        // Alexa rejects an ElicitSlot for a slot the intent lacks, and needs a prompt and samples to hear the answer.
        var mutating = PendingCapabilities.Handlers().Where(h => h.Mutates).SelectMany(h => h.Intents).Distinct().ToList();
        var problems = new List<string>();
        foreach (var intent in mutating)
        {
            foreach (var (slot, type, samples) in new[]
            {
                ("ConfirmCount", "AMAZON.NUMBER", new[] { "{ConfirmCount}", "yes {ConfirmCount}", "{ConfirmCount} instances" }),
                ("SecurityCode", "AMAZON.FOUR_DIGIT_NUMBER", new[] { "{SecurityCode}", "my code is {SecurityCode}", "the code is {SecurityCode}" }),
            })
            {
                var modelSlot = Model.Intent(intent)?.Slot(slot);
                if (modelSlot is null) { problems.Add($"{intent} lacks {slot}"); continue; }
                if (modelSlot.Type != type) problems.Add($"{intent}.{slot} is {modelSlot.Type}, not {type}");
                problems.AddRange(samples.Where(s => !modelSlot.Samples.Contains(s)).Select(s => $"{intent}.{slot} lacks the sample \"{s}\""));
                var rules = Model.Dialog.GetValueOrDefault(intent)?.Slots.FirstOrDefault(s => s.Name == slot);
                if (rules?.ElicitationPrompt is null) problems.Add($"{intent}.{slot} has no elicitation prompt in the dialog model");
                // The skill asks for these itself, at the right moment; Alexa must never ask for them on its own.
                if (rules?.ElicitationRequired == true) problems.Add($"{intent}.{slot} is required, so Alexa would ask for it itself");
            }
        }

        // All of them are there, so the check above cannot pass by finding no mutating handler.
        Assert.Equal(MutatingIntents.Order(StringComparer.Ordinal), mutating.Order(StringComparer.Ordinal));
        Assert.Empty(problems);
    }

    private static readonly string[] MutatingIntents = ["ScanIntent", "EnableScanningIntent", "PatchIntent", "IsolateIntent", "ReleaseIntent",
        "IsolateFindingIntent", "MalwareScanIntent", "BlockAddressIntent", "UnblockAddressIntent"];

    [Theory]
    [InlineData("ScanIntent")]
    [InlineData("EnableScanningIntent")]
    [InlineData("PatchIntent")]
    [InlineData("IsolateIntent")]
    [InlineData("ReleaseIntent")]
    [InlineData("IsolateFindingIntent")]
    [InlineData("MalwareScanIntent")]
    public void DialogModel_ForAnIntentThatChangesTheAccount_RequiresConfirmation(string intent) =>
        Assert.True(Model.Dialog[intent].ConfirmationRequired);

    [Fact]
    public void DialogModel_DelegationStrategy_LeavesEveryStepToTheSkill()
    {
        // The handlers decide when to ask, with their own read-back; Alexa must never auto-delegate.
        var dialog = JsonNode.Parse(File.ReadAllText(RepoFiles.ModelPath))!["interactionModel"]!["dialog"]!;

        Assert.Equal("SKILL_RESPONSE", (string?)dialog["delegationStrategy"]);
    }

    [Fact]
    public void Manifest_ExamplePhrases_AreUnderstoodByTheModel()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(RepoFiles.ManifestPath))!["manifest"]!;
        var phrases = manifest["publishingInformation"]!["locales"]!["en-US"]!["examplePhrases"]!.AsArray().Select(p => (string)p!).ToList();
        var matcher = new UtteranceMatcher(Model);

        Assert.InRange(phrases.Count, 1, 3);
        Assert.Equal("Alexa, open security assistant", phrases[0]);
        foreach (var phrase in phrases.Skip(1))
        {
            var request = OneShotPrefix().Match(phrase);
            Assert.True(request.Success, $"\"{phrase}\" is not of the form \"Alexa, ask security assistant ...\"");
            var match = matcher.Match(request.Groups[1].Value);
            Assert.True(match is not null && !match.Intent.StartsWith("AMAZON.", StringComparison.Ordinal), $"\"{phrase}\" does not resolve to one of the skill's intents");
        }
    }

    [Fact]
    public void Manifest_Endpoint_IsALambdaArnWithTheEnUsLocaleAndPrivacyAnswers()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(RepoFiles.ManifestPath))!["manifest"]!;

        Assert.StartsWith("arn:aws:lambda:", (string?)manifest["apis"]!["custom"]!["endpoint"]!["uri"], StringComparison.Ordinal);
        Assert.NotNull(manifest["publishingInformation"]!["locales"]!["en-US"]);
        foreach (var answer in new[] { "allowsPurchases", "usesPersonalInfo", "isChildDirected", "isExportCompliant", "containsAds" })
            Assert.NotNull(manifest["privacyAndCompliance"]![answer]);
    }

    [Fact]
    public void AskResources_SkillMetadata_PointsAtTheSkillPackage()
    {
        var resources = JsonNode.Parse(RepoFiles.Read("ask-resources.json"))!;
        var src = (string)resources["profiles"]!["default"]!["skillMetadata"]!["src"]!;

        Assert.Equal("2020-03-31", (string?)resources["askcliResourcesVersion"]);
        Assert.True(File.Exists(RepoFiles.Path(src, "skill.json")));
        Assert.True(File.Exists(RepoFiles.Path(src, "interactionModels", "custom", "en-US.json")));
    }

    [GeneratedRegex(@"^[a-zA-Z' .]*(\{[A-Za-z]+\}[a-zA-Z' .]*)*$")]
    private static partial Regex SampleText();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex SlotReference();

    [GeneratedRegex("^Alexa, ask security assistant (?:to |about |whether |if |)(.+)$")]
    private static partial Regex OneShotPrefix();
}
