using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Scanning;

/// <summary>
/// EnableScanningIntent: "turn on vulnerability scanning". Reads back what will change (Inspector EC2
/// scanning, which costs money, in this account) and turns it on only after a yes. It turns on a paid service.
/// </summary>
internal sealed class EnableScanningHandler(IVulnerabilityScanner scanner) : ConfirmedIntentHandler
{
    /// <summary>The pending-action kind.</summary>
    public const string Kind = "enable-scanning";

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["EnableScanningIntent"];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => Kind;

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending) =>
        Reply.Ask(turn.Lang.Say("scan.enable.denied"), turn.Lang.Say("scan.reprompt")).Labelled("enable-denied");

    /// <inheritdoc />
    protected override async Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        Confirmation.Clear(turn);
        // Re-check: it may have been turned on since the question.
        var before = await scanner.GetStatusAsync(turn.Cancellation).ConfigureAwait(false);
        if (before.Ec2 == ScanningState.Enabled) return Reply.Ask(InScope(turn, "scan.enable.already"), lang.Say("scan.reprompt"))
            .Labelled("already-enabled");
        if (before.Ec2 == ScanningState.Enabling) return Reply.Ask(InScope(turn, "scan.enabling"), lang.Say("scan.reprompt"))
            .Labelled("enabling");
        var after = await scanner.EnableEc2Async(turn.Cancellation).ConfigureAwait(false);
        turn.Log.Info("scan.enable", ("requestId", turn.RequestId), ("account", after.AccountId), ("state", after.Ec2.ToString()));
        return after.Ec2 is ScanningState.Enabled or ScanningState.Enabling
            ? Reply.Ask(lang.Say("scan.enable.done"), lang.Say("scan.reprompt")).Labelled("enabled")
            : Reply.Ask(lang.Say("scan.enable.failed", ("reason", after.ErrorCode ?? after.Ec2.ToString())), lang.Say("scan.reprompt"))
                .Labelled("enable-failed");
    }

    /// <summary>Not asked yet, or a yes that cannot be trusted: look, then read back and ask.</summary>
    protected override async Task<Reply> ReadBackAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var status = await scanner.GetStatusAsync(turn.Cancellation).ConfigureAwait(false);
        if (status.Ec2 == ScanningState.Enabled) return Reply.Ask(InScope(turn, "scan.enable.already"), lang.Say("scan.reprompt"))
            .Labelled("already-enabled");
        if (status.Ec2 == ScanningState.Enabling) return Reply.Ask(InScope(turn, "scan.enabling"), lang.Say("scan.reprompt"))
            .Labelled("enabling");
        var pending = new PendingAction
        {
            Kind = Kind,
            Intent = "EnableScanningIntent",
            Args = new Dictionary<string, string> { ["account"] = status.AccountId },
        };
        var readBack = lang.Say("scan.enable.readBack", ("account", Spoken.Characters(status.AccountId)));
        return Confirmation.Ask(turn, pending, readBack, lang.Say("scan.enable.reprompt"), lang.Say("scan.enable.question"));
    }

    // With several accounts or regions "this account" does not say which: the scope is said first, as a read-back does.
    private static Spoken InScope(TurnContext turn, string key) =>
        turn.Scope is { } scope ? Spoken.Join(scope.ReadBack, turn.Lang.Say(key + ".scoped")) : turn.Lang.Say(key);
}
