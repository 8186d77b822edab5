using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Security;

/// <summary>
/// Turns a failed state table or Parameter Store call inside a guard into a refusal that says what failed and that
/// nothing changed. A security check that cannot run never lets the request through.
/// </summary>
internal sealed class FailClosedGuard(IRequestGuard inner) : IRequestGuard
{
    /// <summary>The guard this one protects.</summary>
    public IRequestGuard Inner { get; } = inner;

    /// <inheritdoc />
    public async ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        try
        {
            return await Inner.CheckAsync(turn, handler).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            return Refusal(turn, Inner.GetType().Name, e);
        }
    }

    /// <summary>The refusal for a security check whose AWS call failed; also used by checks that run deferred.</summary>
    internal static Reply Refusal(TurnContext turn, string guard, AwsCallException e)
    {
        turn.Log.Error("security.check-failed", ("requestId", turn.RequestId), ("guard", guard),
            ("operation", e.Operation), ("failure", e.Failure.ToString()), ("errorCode", e.ErrorCode));
        return SecurityModule.Refuse(turn, "check-failed",
            Spoken.Join(turn.Lang.Say("security.checkFailed"), ErrorSpeech.ForAws(turn.Lang, e)))
            .Labelled("security-aws-" + e.Failure.ToString().ToLowerInvariant());
    }
}
