using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>System.ExceptionEncountered: Alexa rejected an earlier response; log it and answer empty.</summary>
internal sealed class ExceptionEncounteredHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is SystemExceptionRequest;

    public Task<Reply> HandleAsync(TurnContext turn)
    {
        var request = (SystemExceptionRequest)turn.Request;
        turn.Log.Error("alexa.exception", ("requestId", turn.RequestId), ("errorType", request.Error?.Type),
            ("errorMessage", request.Error?.Message), ("causeRequestId", request.Cause?.RequestId));
        return Task.FromResult(Reply.None());
    }
}
