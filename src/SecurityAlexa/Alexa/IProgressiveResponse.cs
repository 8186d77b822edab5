namespace SecurityAlexa.Alexa;

/// <summary>Says something to the user while the skill is still working on its answer.</summary>
internal interface IProgressiveResponse
{
    /// <summary>Speaks plain text now; returns false when it could not be delivered. Never throws.</summary>
    Task<bool> SayAsync(string text, CancellationToken cancellationToken);
}
