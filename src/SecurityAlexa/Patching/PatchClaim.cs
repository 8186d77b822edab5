using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Patching;

/// <summary>
/// The answer to claiming a command's reference: this turn may send it (<see cref="Claimed"/>); or someone else already
/// sent or is sending it (<see cref="CommandId"/> when known); or the table failed (<see cref="Failure"/>), and then
/// nothing may be sent.
/// </summary>
internal sealed record PatchClaim(bool Claimed, string? CommandId = null, AwsCallException? Failure = null);
