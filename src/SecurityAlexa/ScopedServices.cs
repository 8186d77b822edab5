using SecurityAlexa.Accounts;

namespace SecurityAlexa;

/// <summary>
/// The ports for one account and region. Ports of the skill's own (state table, queue, chat, security code, tickets)
/// are the home account's in every scope; the fleet's ports (EC2, SSM, inspector2, Logs, GuardDuty, Auto Scaling,
/// ELBv2, IAM) reach the scope's account and region. Built on first use and cached by the implementation.
/// </summary>
/// <param name="scope">Where the ports act.</param>
/// <param name="speakerHash">The speaker's hash: a member role session carries it as session name and source identity.</param>
internal delegate SkillServices ScopedServices(AccountScope scope, string? speakerHash);
