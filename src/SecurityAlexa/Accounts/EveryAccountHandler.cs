using SecurityAlexa.AwsContract;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Accounts;

/// <summary>
/// A read-only question asked "in every account": the same handler, once per account and region, all at once,
/// each on its own copy of the turn (so no scope's answer becomes the conversation's "them"). What has not answered
/// when the turn must answer is named, and the answer says "at least"; an account whose role refuses is named too,
/// and the rest still answer. Never used for a change.
/// </summary>
internal sealed class EveryAccountHandler(
    AccountTurns turns,
    IReadOnlyList<AccountScope> scopes,
    Func<TurnContext, AccountScope, IRequestHandler> handlerIn) : IRequestHandler
{
    private static readonly string[] ClosingKeys = ["isolate.anythingElse", "patch.status.anythingElse", "guardduty.anythingElse",
        "reprompt.generic"];

    /// <summary>The longest the fan-out waits when the turn itself has no deadline.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(6);

    /// <inheritdoc />
    public bool CanHandle(TurnContext turn) => true;

    /// <inheritdoc />
    public async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var wait = TurnBudget.Left(turn) - TurnReserves.Default.AnswerAfterWait;
        if (wait > Limit) wait = Limit;
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(turn.Cancellation);
        var runs = scopes.Select(scope =>
        {
            var sub = new TurnContext(turn.Envelope, turn.Request, lang, new SessionState(), stop.Token)
            {
                Now = turn.Now,
                Deadline = turn.Time.GetUtcNow() + wait < turn.Deadline ? turn.Time.GetUtcNow() + wait : turn.Deadline,
                Time = turn.Time,
                UserHash = turn.UserHash,
                SpeakerHash = turn.SpeakerHash,
                Log = turn.Log,
                Security = turn.Security,
                Scope = turns.Describe(lang, scope) with { Brief = true },
            };
            return Task.Run(() => handlerIn(sub, scope).HandleAsync(sub), CancellationToken.None);
        }).ToList();

        var all = Task.WhenAll(runs);
        try
        {
            await Task.WhenAny(all, Task.Delay(wait, turn.Time, turn.Cancellation)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!turn.Cancellation.IsCancellationRequested)
        {
        }
        await stop.CancelAsync().ConfigureAwait(false);

        var parts = new List<Spoken>();
        var late = new List<string>();
        var unreachable = new HashSet<string>(StringComparer.Ordinal);
        // Each answer's own closing question is asked once, at the end, not after every account.
        var endings = ClosingKeys.Where(lang.Has).Select(k => lang.Say(k)).ToList();
        for (var i = 0; i < scopes.Count; i++)
        {
            var scope = scopes[i];
            var run = runs[i];
            var place = turns.Place(lang, scope);
            if (!run.IsCompleted)
            {
                Observed.Forget(run);
                late.Add(place);
            }
            else if (run.IsCompletedSuccessfully)
                parts.Add(lang.Say("accounts.every.answer", ("place", place),
                    ("answer", endings.Aggregate(run.Result.Speech, (speech, ending) => speech.WithoutEnding(ending)))));
            else if (run.Exception?.InnerException is AwsCallException { Failure: AwsFailure.AccountUnreachable })
            {
                // One sentence per account, however many of its regions were asked.
                if (unreachable.Add(scope.Name)) parts.Add(lang.Say("accounts.every.unreachable", ("account", scope.Name)));
            }
            else if (run.Exception?.InnerException is AwsCallException aws)
                parts.Add(lang.Say("accounts.every.failed", ("place", place), ("error", ErrorSpeech.ForAws(lang, aws, scope.Name))));
            else
                late.Add(place);
        }
        turn.Log.Info("accounts.every", ("requestId", turn.RequestId), ("scopes", scopes.Count), ("late", late.Count));
        if (late.Count > 0) parts.Add(lang.Say("accounts.every.late", ("places", lang.List(late))));
        parts.Add(lang.Say("accounts.every.anythingElse"));
        return Reply.Ask(Spoken.Join(parts), lang.Say("reprompt.generic")).Labelled(late.Count > 0 ? "every-partial" : "every");
    }
}
