using System.Text.RegularExpressions;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Accounts;

/// <summary>
/// The accounts and regions the skill may act in: MEMBER_ACCOUNTS, MEMBER_ROLE_NAME, MEMBER_EXTERNAL_ID and REGIONS,
/// with the function's own account (FUNCTION_ACCOUNT_ID) and region (AWS_REGION) always present.
/// </summary>
internal sealed partial class AccountSettings
{
    /// <summary>The spoken name of the function's own account unless MEMBER_ACCOUNTS names it.</summary>
    public const string HomeName = "home";

    /// <summary>The member role's name when MEMBER_ROLE_NAME is not set.</summary>
    public const string DefaultRoleName = "SecurityAlexaMember";

    private AccountSettings(IReadOnlyList<MemberAccount> accounts, IReadOnlyList<string> regions, string homeRegion,
        string roleName, string? externalId, IReadOnlyList<string> problems)
    {
        Accounts = accounts;
        Regions = regions;
        HomeRegion = homeRegion;
        RoleName = roleName;
        ExternalId = externalId;
        Problems = problems;
    }

    /// <summary>Every account, the function's own first. Members are left out when the settings have a problem.</summary>
    public IReadOnlyList<MemberAccount> Accounts { get; }

    /// <summary>The allowed regions, the function's own first.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>The function's region.</summary>
    public string HomeRegion { get; }

    /// <summary>The role assumed in each member account.</summary>
    public string RoleName { get; }

    /// <summary>The external id every member role's trust policy requires; required when members are configured.</summary>
    public string? ExternalId { get; }

    /// <summary>
    /// What is wrong with the settings, for the log. A problem with the members (no external id, a malformed entry)
    /// drops every member: the skill then acts in its own account only, and says so, rather than guess.
    /// </summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The function's own account.</summary>
    public MemberAccount Home => Accounts[0];

    /// <summary>The function's own account in its own region: where a command acts when nothing else is said.</summary>
    public AccountScope HomeScope => new(Home.Name, Home.AccountId, HomeRegion, true);

    /// <summary>True when there is more than one account or region, so read-backs must say which.</summary>
    public bool IsMulti => Accounts.Count > 1 || Regions.Count > 1;

    /// <summary>The account with this spoken name (case-insensitive), or null.</summary>
    public MemberAccount? Find(string name) =>
        Accounts.FirstOrDefault(a => string.Equals(a.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The account with this id, or null: only these accounts' events and resources are trusted.</summary>
    public MemberAccount? FindById(string accountId) => Accounts.FirstOrDefault(a => a.AccountId == accountId);

    /// <summary>True when the region is one of the allowed regions.</summary>
    public bool Allows(string region) => Regions.Contains(region, StringComparer.Ordinal);

    /// <summary>The scope for an account and an allowed region.</summary>
    public AccountScope Scope(MemberAccount account, string region) => new(account.Name, account.AccountId, region, account.IsHome);

    /// <summary>Every account in every allowed region, home first: what "in every account" fans out over.</summary>
    public IEnumerable<AccountScope> AllScopes() =>
        Accounts.SelectMany(a => Regions.Select(r => Scope(a, r)));

    // The host, the AWS ports, the modules and the tag-event policy all ask at start-up: one parse per configuration.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SkillConfig, AccountSettings> Parsed = new();

    /// <summary>
    /// Reads the settings, once per configuration. Never throws: what cannot be read is left out and named in
    /// <see cref="Problems"/>.
    /// </summary>
    public static AccountSettings From(SkillConfig config) => Parsed.GetValue(config, Parse);

    private static AccountSettings Parse(SkillConfig config)
    {
        var problems = new List<string>();
        var homeId = config.Optional("FUNCTION_ACCOUNT_ID") ?? "";
        var homeRegion = config.Optional("AWS_REGION") ?? config.Optional("AWS_DEFAULT_REGION") ?? "us-east-1";
        var roleName = config.String("MEMBER_ROLE_NAME", DefaultRoleName);
        var externalId = config.Optional("MEMBER_EXTERNAL_ID");

        var homeName = HomeName;
        var members = new List<MemberAccount>();
        foreach (var entry in Split(config.Optional("MEMBER_ACCOUNTS")))
        {
            var eq = entry.IndexOf('=');
            var name = eq > 0 ? entry[..eq].Trim().ToLowerInvariant() : "";
            var id = eq > 0 ? entry[(eq + 1)..].Trim() : "";
            if (!NamePattern().IsMatch(name) || !AccountIdPattern().IsMatch(id))
            {
                problems.Add($"MEMBER_ACCOUNTS entry '{entry}' is not name=123456789012");
                continue;
            }
            if (id == homeId) { homeName = name; continue; }
            if (members.Any(m => m.Name == name || m.AccountId == id) || name == HomeName)
            {
                problems.Add($"MEMBER_ACCOUNTS names '{name}' or account {id} twice");
                continue;
            }
            members.Add(new MemberAccount(name, id, false));
        }
        if (members.Count > 0 && externalId is null)
        {
            problems.Add("MEMBER_EXTERNAL_ID is required when MEMBER_ACCOUNTS is set; member accounts are off");
            members.Clear();
        }
        if (members.Count > 0 && homeId.Length == 0)
        {
            problems.Add("FUNCTION_ACCOUNT_ID is required when MEMBER_ACCOUNTS is set; member accounts are off");
            members.Clear();
        }

        var regions = new List<string> { homeRegion };
        foreach (var region in Split(config.Optional("REGIONS")))
        {
            if (!RegionPattern().IsMatch(region)) { problems.Add($"REGIONS entry '{region}' is not a region code"); continue; }
            if (!regions.Contains(region)) regions.Add(region);
        }

        return new AccountSettings([new MemberAccount(homeName, homeId, true), .. members], regions, homeRegion, roleName, externalId,
            problems);
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")]
    private static partial Regex RegionPattern();
}
