using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Accounts;

/// <summary>
/// Several accounts and regions by voice, end to end: whole Alexa requests through the real entry point, over the
/// sandbox's home account, its payments account (with a second web-1), Ireland, and a legacy account whose role refuses.
/// </summary>
public sealed class AccountVoiceTests
{
    private const string HomeWeb1 = "i-0a1b2c3d4e5f60001";
    private const string PaymentsWeb1 = "i-0f9e8d7c6b5a40001";

    private static Dictionary<string, string> MultiEnvironment() => new(SandboxWorld.ScopesEnvironment)
    {
        ["FUNCTION_ACCOUNT_ID"] = SandboxWorld.AccountId,
        ["AWS_REGION"] = SandboxWorld.Region,
    };

    private sealed record World(SkillDriver Driver, SandboxAccount Home, SandboxAccount Payments);

    // The payments account's fleet is built here so the test can look at it; every other scope is the sandbox's own.
    private static World Multi(FakeTimeProvider? time = null, Func<SecurityAlexa.Accounts.AccountScope, SkillServices?>? around = null)
    {
        time ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var home = SandboxAccount.CreateDefault(time);
        var payments = home.Member(SandboxWorld.PaymentsAccountId, SandboxWorld.Region);
        var paymentsServices = payments.Services();
        var sandbox = home.Scoped();
        ScopedServices scoped = (scope, speaker) =>
            around?.Invoke(scope) is { } special ? special
            : scope.AccountId == SandboxWorld.PaymentsAccountId && scope.Region == SandboxWorld.Region ? paymentsServices
            : sandbox(scope, speaker);
        return new World(new SkillDriver(home.Services(), environment: MultiEnvironment(), time: time, scoped: scoped), home, payments);
    }

    private static bool IsIsolated(SandboxAccount account, string instanceId) =>
        account.World.Locked(w => w.Find(instanceId)!.TerminationProtection);

    private static AlexaRequests Isolate(params (string Name, string? Value)[] slots) => AlexaRequests.Intent("IsolateIntent", slots);

    [Fact]
    public async Task Isolate_WhenTheNameIsInTwoAccountsAndNoneWasSaid_AsksWhichAndTheAnswerContinuesTheCommand()
    {
        var (driver, home, payments) = Multi();

        var question = await driver.SayAsync(Isolate(("InstanceName", "web-1")));

        Assert.Contains("I found web-1 in home in North Virginia and payments in North Virginia. Which account?", question.Speech,
            StringComparison.Ordinal);
        Assert.Equal("Account", (string?)question.Directive("Dialog.ElicitSlot")?["slotToElicit"]);
        Assert.False(IsIsolated(home, HomeWeb1));
        Assert.False(IsIsolated(payments, PaymentsWeb1));

        var readBack = await driver.SayAsync(Isolate(("InstanceName", "web-1"), ("Account", "payments")).Dialog("IN_PROGRESS"));

        Assert.StartsWith("In the payments account, in North Virginia. Isolating web-1", readBack.Speech, StringComparison.Ordinal);
        Assert.NotNull(readBack.Directive("Dialog.ConfirmIntent"));

        var done = await driver.SayAsync(Isolate(("InstanceName", "web-1"), ("Account", "payments")).Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-1 is isolated", done.Speech, StringComparison.Ordinal);
        Assert.True(IsIsolated(payments, PaymentsWeb1));
        Assert.False(IsIsolated(home, HomeWeb1));
    }

    [Theory]
    [InlineData("en-US", null, "prod", "I found instances tagged prod in home in North Virginia, home in Ireland, "
        + "payments in North Virginia and payments in Ireland. Which account?")]
    [InlineData("en-US", "Environment", null,
        "I found instances with the Environment tag in payments in North Virginia and payments in Ireland. Which region?")]
    [InlineData("ja-JP", null, "prod", "prodのタグが付いたインスタンスはhomeのバージニア北部、homeのアイルランド、"
        + "paymentsのバージニア北部、paymentsのアイルランドにあります。どのアカウントですか？")]
    [InlineData("ja-JP", "Environment", null,
        "Environmentタグが付いたインスタンスはpaymentsのバージニア北部、paymentsのアイルランドにあります。どのリージョンですか？")]
    public async Task Isolate_WhenOnlyATagValueOrOnlyAKeyWasSaid_AsksWhichWithoutAGapInTheSentence(
        string locale, string? key, string? value, string expected)
    {
        var (driver, home, payments) = Multi();
        var request = Isolate(("TagKey", key), ("TagValue", value));
        request.Request["locale"] = locale;

        var question = await driver.SayAsync(request);

        Assert.Equal(expected, question.Speech);
        Assert.DoesNotContain("  ", question.Speech, StringComparison.Ordinal);
        Assert.False(IsIsolated(home, HomeWeb1));
        Assert.False(IsIsolated(payments, PaymentsWeb1));
    }

    [Theory]
    [InlineData("en-US", "payments", "In the payments account, in North Virginia. EC2 vulnerability scanning is already on there.")]
    [InlineData("en-US", null, "In the home account, in North Virginia. EC2 vulnerability scanning is already on there.")]
    [InlineData("ja-JP", "payments", "paymentsアカウントのバージニア北部リージョンで。EC2の脆弱性スキャンはすでに有効です。")]
    public async Task EnableScanning_WhenAlreadyOnWithSeveralAccounts_SaysWhichAccountAndRegion(
        string locale, string? account, string expected)
    {
        var (driver, _, _) = Multi();
        var request = AlexaRequests.Intent("EnableScanningIntent", ("Account", account));
        request.Request["locale"] = locale;

        var reply = await driver.SayAsync(request);

        Assert.Equal(expected, reply.Speech);
        Assert.Null(reply.Directive("Dialog.ConfirmIntent"));
    }

    [Fact]
    public async Task Isolate_WhenTheYesNamesAnotherAccountThanTheReadBack_ChangesNothingAnywhere()
    {
        var (driver, home, payments) = Multi();
        var readBack = await driver.SayAsync(Isolate(("InstanceName", "web-1"), ("Account", "payments")));
        Assert.StartsWith("In the payments account", readBack.Speech, StringComparison.Ordinal);

        var yes = await driver.SayAsync(Isolate(("InstanceName", "web-1"), ("Account", "home")).Confirmation("CONFIRMED"));

        Assert.False(IsIsolated(home, HomeWeb1));
        Assert.False(IsIsolated(payments, PaymentsWeb1));
        Assert.DoesNotContain("Done", yes.Speech, StringComparison.Ordinal);
        Assert.StartsWith("In the home account, in North Virginia. Isolating web-1", yes.Speech, StringComparison.Ordinal);
        Assert.Contains(driver.Log.Lines, l => l.Contains("confirmation.invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Isolate_WhenTheConversationMovedToAnotherAccountBeforeTheYes_ActsOnlyWhereItWasReadBack()
    {
        // The read-back is at home (web-2 is only there); the conversation then asks about payments, which it now
        // remembers; the yes still acts at home, on what was read back, and nothing changes in payments.
        var (driver, home, payments) = Multi();
        var readBack = await driver.SayAsync(Isolate(("InstanceName", "web-2")));
        Assert.StartsWith("In the home account, in North Virginia. Isolating web-2", readBack.Speech, StringComparison.Ordinal);
        await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent", ("Account", "payments")));

        var yes = await driver.SayAsync(Isolate(("InstanceName", "web-2")).Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-2 is isolated", yes.Speech, StringComparison.Ordinal);
        Assert.True(IsIsolated(home, "i-0a1b2c3d4e5f60002"));
        Assert.DoesNotContain(payments.World.Instances, i => i.TerminationProtection);
    }

    [Fact]
    public async Task ReadBack_WhenSeveralAccountsAreConfigured_NamesTheAccountAndRegion_AndWhenOneIs_DoesNot()
    {
        var (multi, _, _) = Multi();
        var single = new SkillDriver(SandboxAccount.CreateDefault(new FakeTimeProvider(DateTimeOffset.UtcNow)).Services());

        var named = await multi.SayAsync(Isolate(("InstanceName", "web-2")));
        var plain = await single.SayAsync(Isolate(("InstanceName", "web-2")));

        Assert.StartsWith("In the home account, in North Virginia. Isolating web-2", named.Speech, StringComparison.Ordinal);
        Assert.StartsWith("Isolating web-2", plain.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("account", plain.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBack_InIreland_NamesTheRegion_AndActsOnlyThere()
    {
        var (driver, home, _) = Multi();

        var readBack = await driver.SayAsync(Isolate(("InstanceName", "eu-web-1"), ("Region", "Ireland")).Resolved("Region", "Ireland", "eu-west-1"));

        Assert.StartsWith("In the home account, in Ireland. Isolating eu-web-1", readBack.Speech, StringComparison.Ordinal);
        Assert.False(IsIsolated(home, HomeWeb1));
    }

    [Theory]
    [InlineData("Account", "media", "I don't know an account called media, so I did nothing. The accounts I know are home, payments and legacy.")]
    [InlineData("Region", "Tokyo", "Tokyo isn't one of the regions I may act in, so I did nothing. They are North Virginia and Ireland.")]
    public async Task Isolate_WhenTheAccountOrRegionIsNotConfigured_SaysWhatIsAllowedAndChangesNothing(string slot, string value, string said)
    {
        var (driver, home, payments) = Multi();

        var reply = await driver.SayAsync(Isolate(("InstanceName", "web-1"), (slot, value)));

        Assert.Equal(said, reply.Speech);
        Assert.Null(reply.Directive("Dialog.ConfirmIntent"));
        Assert.False(IsIsolated(home, HomeWeb1));
        Assert.False(IsIsolated(payments, PaymentsWeb1));
    }

    [Fact]
    public async Task Isolate_InEveryAccount_IsRefusedAndAsksForOneAccount()
    {
        var (driver, home, payments) = Multi();

        var reply = await driver.SayAsync(Isolate(("InstanceName", "web-1"), ("Account", "every account")).Resolved("Account", "every account", "every"));

        Assert.StartsWith("I change one account and one region at a time", reply.Speech, StringComparison.Ordinal);
        Assert.Equal("Account", (string?)reply.Directive("Dialog.ElicitSlot")?["slotToElicit"]);
        Assert.False(IsIsolated(home, HomeWeb1));
        Assert.False(IsIsolated(payments, PaymentsWeb1));
    }

    [Fact]
    public async Task IsolatedInEveryAccount_WhenTheLegacyRoleRefuses_SaysSoAndTheOtherAccountsAnswer()
    {
        var (driver, _, _) = Multi();

        var reply = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent", ("Account", "every account"))
            .Resolved("Account", "every account", "every"));

        Assert.Contains("home in North Virginia: No instances are isolated.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("payments in Ireland: No instances are isolated.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("I can't reach the legacy account: its role refused me.", reply.Speech, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(reply.Speech, "legacy"));
        Assert.DoesNotContain("at least", reply.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IsolatedInEveryAccount_WhenOneAccountIsSlow_AnswersInTimeWithAtLeastAndNamesIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var gate = new ManualResetEventSlim(false);
        var slow = SandboxAccount.CreateDefault(time).Member(SandboxWorld.PaymentsAccountId, SandboxWorld.SecondRegion);
        slow.World.OnCall = () => gate.Wait(TimeSpan.FromSeconds(30));
        var slowServices = slow.Services();
        var (driver, _, _) = Multi(time, scope =>
            scope.AccountId == SandboxWorld.PaymentsAccountId && scope.Region == SandboxWorld.SecondRegion ? slowServices : null);
        try
        {
            var sending = driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent", ("Account", "every account"))
                .Resolved("Account", "every account", "every"));
            var waited = TimeSpan.Zero;
            while (!sending.IsCompleted && waited < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(10);
                time.Advance(TimeSpan.FromMilliseconds(100));
                waited += TimeSpan.FromMilliseconds(100);
            }
            var reply = await sending;

            Assert.Contains("payments in North Virginia: No instances are isolated.", reply.Speech, StringComparison.Ordinal);
            Assert.Contains("payments in Ireland did not answer in time, so there are at least these.", reply.Speech, StringComparison.Ordinal);
            Assert.DoesNotContain("payments in Ireland:", reply.Speech, StringComparison.Ordinal);
            Assert.DoesNotContain("taking longer", reply.Speech, StringComparison.Ordinal);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task Launch_WhenSeveralAccountsAreConfigured_TeachesTheAccountNames()
    {
        var (driver, _, _) = Multi();

        var reply = await driver.SayAsync(AlexaRequests.Launch());

        var types = reply.Directive("Dialog.UpdateDynamicEntities")?["types"]?.AsArray();
        Assert.NotNull(types);
        var accounts = types.Single(t => (string?)t!["name"] == "ACCOUNT")!["values"]!.AsArray().Select(v => (string?)v!["id"]).ToList();
        Assert.Equal(["home", "payments", "legacy"], accounts);
        Assert.Contains(types, t => (string?)t!["name"] == "INSTANCE_NAME");
    }
}
