using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>SessionEndedRequest: logged with its reason and error; no speech is allowed.</summary>
internal sealed class SessionEndedHandler : IRequestHandler
{
    public bool CanHandle(TurnContext turn) => turn.Request is SessionEndedRequest;

    public Task<Reply> HandleAsync(TurnContext turn)
    {
        var ended = (SessionEndedRequest)turn.Request;
        // An error here means Alexa rejected one of our responses: worth a warning, not just a note.
        turn.Log.Write(ended.Error is null ? "INFO" : "WARN", "session.ended", ("requestId", turn.RequestId), ("reason", ended.Reason),
            ("errorType", ended.Error?.Type), ("errorMessage", ended.Error?.Message));
        return Task.FromResult(Reply.None());
    }
}
