using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Local.Chat;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Shipping;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Accounts;

/// <summary>
/// Alexa accepts a Dialog.ElicitSlot only for a slot the intent's dialog model declares. The skill elicits Account or Region
/// when a name or tag is in several places ("which account?") and Account when a change is asked "in every account"; this
/// collects what it really elicits, over the sandbox's accounts and regions, and checks both locales' models declare it.
/// </summary>
public sealed class AccountDialogModelTests
{
    private static readonly InteractionModel English = InteractionModel.Load(RepoFiles.ModelPath);
    private static readonly InteractionModel Japanese = InteractionModel.Load(RepoFiles.JapaneseModelPath);

    private static SkillDriver Multi()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var home = SandboxAccount.CreateDefault(time);
        var environment = new Dictionary<string, string>(SandboxWorld.ScopesEnvironment)
        {
            ["FUNCTION_ACCOUNT_ID"] = SandboxWorld.AccountId,
            ["AWS_REGION"] = SandboxWorld.Region,
        };
        return new SkillDriver(home.Services(), environment: environment, time: time, scoped: home.Scoped());
    }

    // Every (intent, slot) the skill elicits for a scope: a name in two accounts, a tag in two regions of one account, and a
    // change asked in every account; each on a fresh conversation.
    private static async Task<IReadOnlySet<(string Intent, string Slot)>> ElicitedAsync()
    {
        var asks = new List<AlexaRequests>();
        foreach (var intent in English.Intents)
        {
            if (intent.Slot("Account") is null) continue;
            if (intent.Slot("InstanceName") is not null) asks.Add(AlexaRequests.Intent(intent.Name, ("InstanceName", "web-1")));
            if (intent.Slot("TagKey") is not null && intent.Slot("TagValue") is not null)
                asks.Add(AlexaRequests.Intent(intent.Name, ("TagKey", "Environment"), ("TagValue", "prod"), ("Account", "home")));
            asks.Add(AlexaRequests.Intent(intent.Name, ("Account", "every account")));
        }
        var elicited = new HashSet<(string, string)>();
        foreach (var ask in asks)
        {
            var reply = await Multi().SayAsync(ask);
            if (reply.Directive("Dialog.ElicitSlot") is not { } elicit) continue;
            var slot = (string?)elicit["slotToElicit"];
            if (slot is "Account" or "Region") elicited.Add(((string)elicit["updatedIntent"]!["name"]!, slot));
        }
        return elicited;
    }

    [Fact]
    public async Task EveryAccountOrRegionTheSkillElicits_IsDeclaredInBothDialogModels_WithAPromptInEach()
    {
        var elicited = await ElicitedAsync();

        // Both questions and the refusal to fan a change out are among them, so the check below cannot pass on nothing.
        Assert.Contains(("IsolateIntent", "Account"), elicited);
        Assert.Contains(("ScanIntent", "Region"), elicited);
        Assert.Contains(("EnableScanningIntent", "Account"), elicited);
        Assert.Contains(("BlockedTrafficIntent", "Account"), elicited);
        var problems = new List<string>();
        foreach (var (model, locale) in new[] { (English, "en-US"), (Japanese, "ja-JP") })
        {
            foreach (var (intent, slot) in elicited.OrderBy(e => e.Intent, StringComparer.Ordinal))
            {
                var rules = model.Dialog.GetValueOrDefault(intent)?.Slots.FirstOrDefault(s => s.Name == slot);
                if (rules is null) { problems.Add($"{locale}: {intent}.{slot} is not in the dialog model"); continue; }
                if (rules.ElicitationPrompt is not { } prompt || !model.Prompts.TryGetValue(prompt, out var texts) || texts.Count == 0)
                    problems.Add($"{locale}: {intent}.{slot} has no elicitation prompt");
                // The skill asks at the right moment; Alexa must never ask for it on its own.
                if (rules.ElicitationRequired) problems.Add($"{locale}: {intent}.{slot} is required");
                if (model.Intent(intent)!.Slot(slot)!.Samples.Count == 0)
                    problems.Add($"{locale}: {intent}.{slot} has no samples to hear the answer");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void AccountAndRegionPrompts_AskTheQuestionInEachLocale()
    {
        Assert.Equal("Which account?", Assert.Single(English.Prompts["Elicit.Slot.Account"]));
        Assert.Equal("Which region?", Assert.Single(English.Prompts["Elicit.Slot.Region"]));
        Assert.Equal("どのアカウントですか？", Assert.Single(Japanese.Prompts["Elicit.Slot.Account"]));
        Assert.Equal("どのリージョンですか？", Assert.Single(Japanese.Prompts["Elicit.Slot.Region"]));
    }
}
