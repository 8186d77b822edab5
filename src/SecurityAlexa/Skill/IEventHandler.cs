using System.Text.Json;

namespace SecurityAlexa.Skill;

/// <summary>A handler for a non-Alexa event delivered to the same function (for example EventBridge).</summary>
internal interface IEventHandler
{
    /// <summary>True when the event has the shape this handler accepts.</summary>
    bool CanHandle(JsonElement evt);

    /// <summary>
    /// Handles the event and returns a small JSON result for the invoker's logs; <paramref name="lambdaDeadline"/>
    /// is when the function is stopped, when the runtime said.
    /// </summary>
    Task<EventResult> HandleAsync(JsonElement evt, DateTimeOffset? lambdaDeadline, CancellationToken cancellationToken);
}
