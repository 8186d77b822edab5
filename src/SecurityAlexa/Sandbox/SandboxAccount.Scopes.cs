namespace SecurityAlexa.Sandbox;

/// <summary>The sandbox's other accounts and regions, on the home account's clock.</summary>
internal sealed partial class SandboxAccount
{
    /// <summary>
    /// Another account or region of the sandbox: its own fleet, scanner, detector and (standing in for the scoped
    /// records of the state table) its own isolation records; chat, queue and the security code stay the home account's.
    /// </summary>
    public SandboxAccount Member(string accountId, string region) =>
        new(Clock, SandboxWorld.For(accountId, region)) { Queue = Queue };
}
