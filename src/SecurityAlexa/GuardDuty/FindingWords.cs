using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.GuardDuty;

/// <summary>
/// GuardDuty finding types in plain words. Each known type names a phrase "guardduty.kind.{name}" in the speech
/// catalogues; a type not in the table is described by its threat purpose (the part before the colon), and a
/// purpose not known either by a generic phrase, so no finding is ever read out as its raw type.
/// </summary>
internal static class FindingWords
{
    /// <summary>Finding type to phrase name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Backdoor:EC2/C&CActivity.B!DNS"] = "c2",
        ["Backdoor:EC2/C&CActivity.B"] = "c2",
        ["Backdoor:EC2/DenialOfService.Tcp"] = "dosSource",
        ["Backdoor:EC2/Spambot"] = "spam",
        ["CryptoCurrency:EC2/BitcoinTool.B!DNS"] = "mining",
        ["CryptoCurrency:EC2/BitcoinTool.B"] = "mining",
        ["Impact:EC2/BitcoinDomainRequest.Reputation"] = "mining",
        ["UnauthorizedAccess:EC2/SSHBruteForce"] = "sshBruteForce",
        ["UnauthorizedAccess:EC2/RDPBruteForce"] = "rdpBruteForce",
        ["UnauthorizedAccess:EC2/TorClient"] = "tor",
        ["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"] = "badIp",
        ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"] = "credentialsOutside",
        ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS"] = "credentialsOtherAccount",
        ["Recon:EC2/PortProbeUnprotectedPort"] = "portProbe",
        ["Recon:EC2/Portscan"] = "portScan",
        ["Impact:EC2/PortSweep"] = "portScan",
        ["Trojan:EC2/DNSDataExfiltration"] = "dnsExfiltration",
        ["Trojan:EC2/BlackholeTraffic"] = "blackhole",
        ["Execution:EC2/MaliciousFile"] = "malware",
        ["Execution:EC2/SuspiciousFile"] = "suspiciousFile",
    };

    /// <summary>Threat purposes (the prefix of a type) with a phrase "guardduty.purpose.{purpose}".</summary>
    public static readonly IReadOnlySet<string> Purposes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Backdoor", "CryptoCurrency", "Execution", "Impact", "Recon", "Trojan", "UnauthorizedAccess", "Persistence",
        "PrivilegeEscalation", "Discovery", "Exfiltration", "Policy",
    };

    /// <summary>The phrase key that says what a finding type means.</summary>
    public static string KeyFor(string? type)
    {
        if (type is not null && Types.TryGetValue(type, out var name)) return "guardduty.kind." + name;
        var colon = type?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var purpose = colon > 0 ? type![..colon] : null;
        return purpose is not null && Purposes.Contains(purpose) ? "guardduty.purpose." + purpose : "guardduty.kind.unknown";
    }

    /// <summary>The finding type in plain words, in the turn's language.</summary>
    public static Spoken Say(Lang lang, string? type) => lang.Say(KeyFor(type));
}
