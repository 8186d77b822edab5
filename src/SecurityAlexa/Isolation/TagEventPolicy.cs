using System.Text.Json;
using System.Text.RegularExpressions;
using SecurityAlexa.Accounts;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Who may isolate by tag, from where, and how many at once. A tag event bypasses the voice controls (allow-list,
/// code, read-back, cap), so it is refused unless the CloudTrail principal matches ISOLATE_TAG_PRINCIPALS, the
/// event comes from the function's own account and region, and it names at most ISOLATE_TAG_MAX instances.
/// No patterns (the default) refuses every tag event. A refusal isolates nothing, is posted to the chat
/// channel and leaves an audit record with the raw principal, source IP, user agent and event id.
/// </summary>
internal sealed class TagEventPolicy
{
    /// <summary>Why an event was refused, as written in the audit record.</summary>
    public const string NoPrincipalsConfigured = "no-principals-configured";

    /// <summary>The principal matches no pattern (or the event names none).</summary>
    public const string PrincipalNotAllowed = "principal-not-allowed";

    /// <summary>The event's account is not the function's (or the function's is unknown).</summary>
    public const string WrongAccount = "wrong-account";

    /// <summary>The event's region is not the function's (or the function's is unknown).</summary>
    public const string WrongRegion = "wrong-region";

    /// <summary>More instances than ISOLATE_TAG_MAX in one event.</summary>
    public const string TooManyInstances = "too-many-instances";

    private readonly IReadOnlyList<Regex> _principals;
    private readonly IChatNotifier? _chat;
    private readonly SkillLog _log;
    private readonly Lang _lang;
    private readonly AccountSettings? _accounts;

    /// <summary>
    /// The policy over its settings; <see cref="DecideAsync"/> also accepts the enrolled accounts and allowed regions of accounts.
    /// </summary>
    public TagEventPolicy(IReadOnlyList<string> principalPatterns, string? account, string? region, int maxInstances,
        IChatNotifier? chat, SkillLog log, Lang lang, AccountSettings? accounts = null)
    {
        _accounts = accounts;
        PrincipalPatterns = principalPatterns;
        _principals = principalPatterns.Select(PatternRegex).ToList();
        Account = account;
        Region = region;
        MaxInstances = maxInstances;
        _chat = chat;
        _log = log;
        _lang = lang;
    }

    /// <summary>The ARN patterns whose principals may isolate by tag (ISOLATE_TAG_PRINCIPALS, comma-separated).</summary>
    public IReadOnlyList<string> PrincipalPatterns { get; }

    /// <summary>The function's account (FUNCTION_ACCOUNT_ID, set by the template); unknown refuses every event.</summary>
    public string? Account { get; }

    /// <summary>The function's region (AWS_REGION, set by Lambda); unknown refuses every event.</summary>
    public string? Region { get; }

    /// <summary>The most instances one event may isolate (ISOLATE_TAG_MAX, default 10); a larger event is refused whole.</summary>
    public int MaxInstances { get; }

    /// <summary>Reads the settings.</summary>
    public static TagEventPolicy From(SkillConfig config, IChatNotifier? chat, SkillLog log, Lang lang)
    {
        var patterns = (config.Optional("ISOLATE_TAG_PRINCIPALS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return new TagEventPolicy(patterns, config.Optional("FUNCTION_ACCOUNT_ID"),
            config.Optional("AWS_REGION") ?? config.Optional("AWS_DEFAULT_REGION"),
            Math.Max(1, config.Int("ISOLATE_TAG_MAX", 10)), chat, log, lang, AccountSettings.From(config));
    }

    /// <summary>
    /// Whether the event may go on, and where: an event from the function's own account and region, an enrolled member
    /// account (MEMBER_ACCOUNTS) or an allowed region (REGIONS) names the account and region the isolation must act in.
    /// Otherwise the refusal, already posted and audited; nothing is isolated after a refusal, whichever instances the
    /// event names.
    /// </summary>
    public async Task<TagEventDecision> DecideAsync(JsonElement evt, IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        var refusal = await RefuseAsync(evt, instanceIds, cancellationToken).ConfigureAwait(false);
        return refusal is not null ? new TagEventDecision(refusal, null, null)
            : new TagEventDecision(null, Text(evt, "account"), Text(evt, "region"));
    }

    private async Task<EventResult?> RefuseAsync(JsonElement evt, IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        var detail = evt.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var identity = detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("userIdentity", out var u)
            && u.ValueKind == JsonValueKind.Object ? u : default;
        var principal = Text(identity, "arn");
        var why = Check(evt, detail, identity, principal, instanceIds.Count);
        if (why is null) return null;

        var eventId = Text(detail, "eventID") ?? Text(evt, "id");
        var sourceIp = Text(detail, "sourceIPAddress");
        var userAgent = Text(detail, "userAgent");
        _log.Write("AUDIT", "audit", ("source", "event"), ("action", "isolate-by-tag"), ("outcome", "refused"),
            ("refusedBy", "tag-event-policy"), ("reason", why), ("principalArn", principal), ("sourceIp", sourceIp),
            ("userAgent", userAgent), ("eventId", eventId), ("account", Text(evt, "account")), ("region", Text(evt, "region")),
            ("targets", instanceIds), ("targetCount", instanceIds.Count));
        _log.Security("isolate.event.refused", ("reason", why), ("eventId", eventId), ("instances", instanceIds.Count));

        if (_chat is not null)
        {
            var text = _lang.Text("isolate.event.refused.chat",
                ("who", principal ?? _lang.Text("isolate.event.refused.unknownPrincipal")),
                ("count", instanceIds.Count), ("ids", _lang.ListSome(instanceIds, 10)),
                ("why", _lang.Text("isolate.event.refused." + why, ("max", MaxInstances), ("account", Text(evt, "account") ?? "?"),
                    ("region", Text(evt, "region") ?? "?"))),
                ("sourceIp", sourceIp ?? "?"), ("eventId", eventId ?? "?"));
            // With several accounts or regions, where the event came from, as every other post says where it is about.
            if (_accounts is { IsMulti: true } accounts)
            {
                var from = Text(evt, "account");
                text = ScopeLabels.Chat(from is null ? null : accounts.FindById(from)?.Name, from, Text(evt, "region")) + " " + text;
            }
            var delivery = await _chat.NotifyAsync(new ChatMessage(text), cancellationToken).ConfigureAwait(false);
            if (!delivery.Delivered) _log.Warn("chat.failed", ("eventId", eventId), ("why", delivery.Failure));
        }
        return new EventResult("refused", why);
    }

    private string? Check(JsonElement evt, JsonElement detail, JsonElement identity, string? principal, int instances)
    {
        // Where first: an event from elsewhere is refused whoever sent it. With the function's own account unknown,
        // every event is refused, a member's too.
        var account = Text(evt, "account");
        var recipient = Text(detail, "recipientAccountId");
        var knownAccount = account == Account
            || (account is { Length: > 0 } && _accounts?.FindById(account) is { IsHome: false });
        if (Account is null || !knownAccount || (recipient is not null && recipient != account)) return WrongAccount;
        var region = Text(evt, "region");
        var awsRegion = Text(detail, "awsRegion");
        var knownRegion = region == Region || (region is { Length: > 0 } && _accounts?.Allows(region) == true);
        if (Region is null || !knownRegion || (awsRegion is not null && awsRegion != region)) return WrongRegion;
        if (_principals.Count == 0) return NoPrincipalsConfigured;
        if (principal is null || !Candidates(identity, principal).Any(c => _principals.Any(p => p.IsMatch(c)))) return PrincipalNotAllowed;
        return instances > MaxInstances ? TooManyInstances : null;
    }

    // The ARN itself, and for an assumed role also the role it is a session of, so that a role pattern
    // (arn:aws:iam::111122223333:role/SecOps) admits its sessions.
    private static IEnumerable<string> Candidates(JsonElement identity, string arn)
    {
        yield return arn;
        if (Text(identity, "type") != "AssumedRole") yield break;
        if (identity.TryGetProperty("sessionContext", out var session) && session.ValueKind == JsonValueKind.Object
            && session.TryGetProperty("sessionIssuer", out var issuer) && Text(issuer, "type") == "Role"
            && Text(issuer, "arn") is { } roleArn)
        {
            // The issuer's ARN keeps the role's path, which the session ARN drops.
            yield return roleArn;
        }
        var parts = arn.Split(':');
        if (parts.Length == 6 && parts[2] == "sts" && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal)
            && parts[5].Split('/') is { Length: 3 } segments)
        {
            yield return $"arn:{parts[1]}:iam::{parts[4]}:role/{segments[1]}";
        }
    }

    /// <summary>A pattern as a regular expression: literal but for <c>*</c>, which stays within one segment.</summary>
    public static Regex PatternRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", "[^/:]*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;
}
