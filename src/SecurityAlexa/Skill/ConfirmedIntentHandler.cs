namespace SecurityAlexa.Skill;

/// <summary>
/// The one shape of an intent that changes the account: a read-back step that resolves and asks, and an execute
/// step that acts on exactly what was read back, after a yes. Deriving from it is what makes an intent mutating,
/// so the security rules for changes cannot be forgotten. The read-back step only reads, so the request's replay claim
/// (<see cref="TurnContext.DeferredCheck"/>) runs beside it; the execute step starts only once the claim is won, or, where it says
/// it settles the claim itself, changes nothing until then.
/// </summary>
internal abstract class ConfirmedIntentHandler : IntentHandler
{
    /// <inheritdoc />
    public sealed override bool Mutates => true;

    /// <inheritdoc />
    public sealed override async Task<Reply> HandleAsync(TurnContext turn)
    {
        switch (Confirmation.Check(turn, PendingKind(turn)))
        {
            case ConfirmationCheck.Denied denied:
                Confirmation.Clear(turn);
                return Declined(turn, denied.Pending);
            case ConfirmationCheck.Confirmed confirmed:
                // The replay claim may still be running beside the routing: nothing changes until it has been won.
                if (!SettlesClaimBeforeChanging && await turn.SettleDeferredAsync().ConfigureAwait(false) is { } refusal)
                    return refusal;
                return await ExecuteAsync(turn, confirmed.Pending).ConfigureAwait(false);
            case ConfirmationCheck.OtherVoice other:
                return Confirmation.RefuseOtherVoice(turn, other.Pending);
            case ConfirmationCheck.Invalid invalid:
                return await ConfirmAgainAsync(turn, invalid.Reason).ConfigureAwait(false);
            default:
                return await ReadBackAsync(turn).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True when the execute step settles the replay claim itself (<see cref="TurnContext.SettleDeferredAsync"/>) after its
    /// reads and before its first change, so that the claim and the reads share a round trip. Its answer to a refused claim
    /// is the refusal; the pipeline settles the claim again before answering, and discards the step's work if it was refused.
    /// </summary>
    protected virtual bool SettlesClaimBeforeChanging => false;

    /// <summary>The pending-action kind a yes in this turn is judged against.</summary>
    protected abstract string PendingKind(TurnContext turn);

    /// <summary>Resolves what would change, reads it back and asks (<see cref="Confirmation.Ask"/>); changes nothing.</summary>
    protected abstract Task<Reply> ReadBackAsync(TurnContext turn);

    /// <summary>Acts on exactly the confirmed pending action, which is still stored: the step clears it when it is done with it.</summary>
    protected abstract Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending);

    /// <summary>The answer to a no; the pending action (passed as it was) is already forgotten.</summary>
    protected abstract Reply Declined(TurnContext turn, PendingAction? pending);

    /// <summary>A yes that cannot be trusted (nothing pending, another action, expired): by default, read back again.</summary>
    protected virtual Task<Reply> ConfirmAgainAsync(TurnContext turn, string reason) => ReadBackAsync(turn);
}
