using SecurityAlexa.Local.Chat;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>The interaction model and the handlers agree: every intent is answered, every slot read is defined.</summary>
public sealed class ModelCoverageTests
{
    private static readonly InteractionModel Model = InteractionModel.Load(RepoFiles.ModelPath);

    // The names agreed in the team brief; renaming one breaks every branch that uses it.
    public static TheoryData<string, string, string> AgreedSlots => new()
    {
        { "ScanIntent", "TagKey", "TAG_KEY" }, { "ScanIntent", "TagValue", "TAG_VALUE" }, { "ScanIntent", "InstanceName", "INSTANCE_NAME" },
        { "ScanIntent", "ConfirmCount", "AMAZON.NUMBER" }, { "ScanIntent", "SecurityCode", "AMAZON.FOUR_DIGIT_NUMBER" },
        { "EnableScanningIntent", "ConfirmCount", "AMAZON.NUMBER" }, { "EnableScanningIntent", "SecurityCode", "AMAZON.FOUR_DIGIT_NUMBER" },
        { "ScanResultsIntent", "TagKey", "TAG_KEY" }, { "ScanResultsIntent", "TagValue", "TAG_VALUE" },
        { "ScanResultsIntent", "InstanceName", "INSTANCE_NAME" }, { "ScanResultsIntent", "Severity", "SEVERITY" },
        { "PatchIntent", "TagKey", "TAG_KEY" }, { "PatchIntent", "TagValue", "TAG_VALUE" }, { "PatchIntent", "InstanceName", "INSTANCE_NAME" },
        { "PatchIntent", "Scope", "SCOPE" }, { "PatchIntent", "Selection", "WHICH_ONES" }, { "PatchIntent", "ExceptName", "INSTANCE_NAME" },
        { "PatchIntent", "ConfirmCount", "AMAZON.NUMBER" }, { "PatchIntent", "SecurityCode", "AMAZON.FOUR_DIGIT_NUMBER" },
        { "PatchDryRunIntent", "TagKey", "TAG_KEY" }, { "PatchDryRunIntent", "TagValue", "TAG_VALUE" },
        { "PatchDryRunIntent", "InstanceName", "INSTANCE_NAME" }, { "PatchDryRunIntent", "Scope", "SCOPE" },
        { "IsolateIntent", "InstanceName", "INSTANCE_NAME" }, { "IsolateIntent", "TagKey", "TAG_KEY" }, { "IsolateIntent", "TagValue", "TAG_VALUE" },
        { "IsolateIntent", "Reason", "ISOLATION_REASON" }, { "IsolateIntent", "ConfirmCount", "AMAZON.NUMBER" },
        { "IsolateIntent", "SecurityCode", "AMAZON.FOUR_DIGIT_NUMBER" },
        { "ReleaseIntent", "InstanceName", "INSTANCE_NAME" }, { "ReleaseIntent", "TagKey", "TAG_KEY" }, { "ReleaseIntent", "TagValue", "TAG_VALUE" },
        { "ReleaseIntent", "ConfirmCount", "AMAZON.NUMBER" }, { "ReleaseIntent", "SecurityCode", "AMAZON.FOUR_DIGIT_NUMBER" },
        { "BlockedTrafficIntent", "InstanceName", "INSTANCE_NAME" },
    };

    [Theory]
    [MemberData(nameof(AgreedSlots))]
    public void Model_WhenLoaded_HasTheAgreedSlotWithItsType(string intent, string slot, string type)
    {
        var modelIntent = Model.Intent(intent);

        Assert.NotNull(modelIntent);
        Assert.Equal(type, modelIntent.Slot(slot)?.Type);
    }

    [Theory]
    [InlineData("PatchStatusIntent")]
    [InlineData("IsolationStatusIntent")]
    public void Model_WhenLoaded_HasTheAgreedSlotlessIntent(string intent)
    {
        var modelIntent = Model.Intent(intent);

        Assert.NotNull(modelIntent);
        // Every intent may name an account and a region; these have no slots of their own.
        Assert.DoesNotContain(modelIntent.Slots, s => s.Name is not ("Account" or "Region"));
    }

    [Theory]
    [InlineData("AMAZON.HelpIntent")]
    [InlineData("AMAZON.StopIntent")]
    [InlineData("AMAZON.CancelIntent")]
    [InlineData("AMAZON.FallbackIntent")]
    [InlineData("AMAZON.NavigateHomeIntent")]
    [InlineData("AMAZON.YesIntent")]
    [InlineData("AMAZON.NoIntent")]
    public void Model_WhenLoaded_HasTheRequiredBuiltIn(string intent) => Assert.NotNull(Model.Intent(intent));

    [Fact]
    public void Handlers_WhenEveryPortIsPresent_AnswerOnlyIntentsTheModelDefines()
    {
        var unknown = PendingCapabilities.Handlers()
            .SelectMany(h => h.Intents.Select(i => (Handler: h.GetType().Name, Intent: i)))
            .Where(x => Model.Intent(x.Intent) is null)
            .Select(x => $"{x.Handler} answers {x.Intent}, which skill-package/interactionModels/custom/en-US.json does not define")
            .ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void Model_WhenLoaded_EveryIntentHasAHandlerOrItsCapabilityIsStillPending()
    {
        var missing = Model.Intents
            .Select(i => i.Name)
            .Where(name => !PendingCapabilities.HandledIntents.Contains(name) && !PendingCapabilities.PendingIntents.Contains(name))
            .ToList();

        Assert.True(missing.Count == 0, "Intents in the model that no handler answers: " + string.Join(", ", missing));
    }

    [Fact]
    public void Handlers_WhenTheyDeclareSlotsRead_ReadOnlySlotsTheirIntentsDefine()
    {
        var problems = new List<string>();
        foreach (var handler in PendingCapabilities.Handlers())
        {
            var defined = handler.Intents.Select(Model.Intent).OfType<ModelIntent>().SelectMany(i => i.Slots).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(handler.SlotsRead.Where(s => !defined.Contains(s))
                .Select(s => $"{handler.GetType().Name} reads slot {s}, which none of {string.Join("/", handler.Intents)} defines in the model"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Handlers_WhenTheyChangeTheAccount_AnswerIntentsWhoseDialogModelAsksForConfirmation()
    {
        var problems = PendingCapabilities.Handlers()
            .Where(h => h.Mutates)
            .SelectMany(h => h.Intents)
            .Where(i => !(Model.Dialog.TryGetValue(i, out var rules) && rules.ConfirmationRequired && rules.ConfirmationPrompt is not null))
            .ToList();

        Assert.True(problems.Count == 0, "Mutating intents without confirmation in the dialog model: " + string.Join(", ", problems));
    }

    [Fact]
    public void PendingCapabilities_WhenListed_NameOnlyIntentsTheModelDefines()
    {
        var unknown = PendingCapabilities.All.SelectMany(c => c.Intents).Where(i => Model.Intent(i) is null).ToList();

        Assert.Empty(unknown);
    }
}
