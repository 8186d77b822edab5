using System.Collections.Concurrent;
using Amazon.Runtime;
using SecurityAlexa.Accounts;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;

namespace SecurityAlexa;

/// <summary>Builds the ports over real AWS. Clients are created lazily, on first use, to keep cold start short.</summary>
internal static class AwsServices
{
    /// <summary>The ports backed by AWS, with the region and endpoints taken from the environment.</summary>
    public static SkillServices Create(SkillConfig config) => Create(config, new AwsClients(config));

    /// <summary>
    /// The ports over the given clients (tests pass mocked SDK clients here); <paramref name="httpOptions"/>
    /// sets retries and time-outs of the clients without an SDK (inspector2, CloudWatch Logs).
    /// </summary>
    public static SkillServices Create(SkillConfig config, AwsClients clients, SignedJsonOptions? httpOptions = null)
    {
        // The skill's own ports: every scope shares them (Fleet below copies them into a member scope's ports).
        var own = new SkillServices
        {
            Chat = config.Optional("CHAT_WEBHOOK_PARAMETER") is { } webhookParameter
                ? new Notifications.WebhookChatNotifier(new SsmWebhookUrlSource(() => clients.Ssm, webhookParameter))
                : null,
            Tickets = new SsmOpsCenter(() => clients.Ssm, clients.Region, config.Optional("FUNCTION_ACCOUNT_ID")),
            Parameters = new SsmParameterStore(() => clients.Ssm),
            CodeHashKey = config.Optional("SECURITY_CODE_KMS_KEY") is { } codeKey ? new KmsCodeHashKey(() => clients.Kms, codeKey) : null,
            // No table named: every state call fails, so changes fail closed rather than fall back to one container's memory.
            State = config.Optional("STATE_TABLE") is { } table ? new DynamoStateTable(() => clients.Dynamo, table)
                : new State.MissingStateTable(),
            WorkQueue = config.Optional("WORK_QUEUE_URL") is { } queueUrl ? new SqsWorkQueue(() => clients.Sqs, queueUrl) : null,
            WorkQueueUrl = config.Optional("WORK_QUEUE_URL"),
        };
        return Fleet(config, clients, config.Optional("FUNCTION_ACCOUNT_ID") ?? "", credentials: null, own, httpOptions);
    }

    /// <summary>
    /// The ports of every account and region (docs/accounts.md). The home account in the home region is
    /// <paramref name="home"/> itself; the home account in another allowed region uses the function's own credentials
    /// there; a member account is reached through its member role, assumed for the speaker. The skill's own ports
    /// (state, queue, chat, parameters, security code key, tickets) are always <paramref name="home"/>'s. Each scope's
    /// ports are built on first use and kept per scope and speaker; nothing of STS is built until a member scope is.
    /// </summary>
    /// <param name="config">The function's settings (MEMBER_ACCOUNTS, MEMBER_ROLE_NAME, MEMBER_EXTERNAL_ID, REGIONS, endpoints).</param>
    /// <param name="home">The home scope's ports, as <see cref="Create(SkillConfig)"/> built them.</param>
    /// <param name="time">The clock member credentials expire on; the system clock when null.</param>
    /// <param name="functionCredentials">The function's own credentials (tests); null means the SDK's default chain.</param>
    /// <param name="httpOptions">Retries and time-outs of the clients without an SDK.</param>
    public static ScopedServices Scoped(SkillConfig config, SkillServices home, TimeProvider? time = null,
        AWSCredentials? functionCredentials = null, SignedJsonOptions? httpOptions = null)
    {
        var settings = AccountSettings.From(config);
        var members = new Lazy<MemberCredentialCache?>(() =>
            MemberCredentialCache.Create(config, settings, time ?? TimeProvider.System, functionCredentials));
        return new ScopeCache(config, settings, home, members, functionCredentials, httpOptions).For;
    }

    /// <summary>
    /// The fleet's ports over one account and region's clients, signed with <paramref name="credentials"/> (null: the
    /// function's own), and the skill's own ports from <paramref name="home"/>.
    /// </summary>
    internal static SkillServices Fleet(SkillConfig config, AwsClients clients, string accountId, AWSCredentials? credentials,
        SkillServices home, SignedJsonOptions? httpOptions = null)
    {
        SignedJsonClient Http(AwsService service, string region) =>
            new(service, region, config.Environment, credentials, options: httpOptions);

        var flowLogs = new AwsFlowLogs(() => clients.Ec2, Http(AwsService.CloudWatchLogs, clients.Region));
        return new SkillServices
        {
            Instances = new Ec2InstanceDirectory(() => clients.Ec2),
            Isolation = new Ec2IsolationAccount(() => clients.Ec2),
            Containment = new Isolation.Containment.ContainmentPorts(
                new AutoScalingClient(Http(AwsService.AutoScaling, clients.Region)),
                new ElbV2Client(Http(AwsService.ElasticLoadBalancingV2, clients.Region)),
                new Ec2InstanceStorage(() => clients.Ec2),
                new IamClient(Http(AwsService.Iam, AwsService.GlobalSigningRegion))),
            FlowLogs = flowLogs,
            TrafficSources = flowLogs,
            NetworkAcls = new Ec2NetworkAcls(() => clients.Ec2),
            Scanner = new Inspector2Client(Http(AwsService.Inspector2, clients.Region)),
            Threats = new GuardDutyClient(Http(AwsService.GuardDuty, clients.Region), clients.Region,
                accountId.Length > 0 ? accountId : null),
            Patches = new SsmPatchManager(() => clients.Ssm, () => clients.SsmOnce),
        }.WithOwnPortsOf(home);
    }

    /// <summary>Each scope's ports, built on first use and kept per scope (and, in a member account, per speaker).</summary>
    private sealed class ScopeCache(SkillConfig config, AccountSettings settings, SkillServices home,
        Lazy<MemberCredentialCache?> members, AWSCredentials? functionCredentials, SignedJsonOptions? httpOptions)
    {
        // Accounts times regions times speakers stays small; past this the cache starts again rather than grow.
        private const int MaxScopes = 256;

        private readonly ConcurrentDictionary<(string Scope, string Identity), Lazy<SkillServices>> _built = new();

        public SkillServices For(AccountScope scope, string? speakerHash)
        {
            if (scope.IsHome && scope.Region == settings.HomeRegion) return home;
            if (!settings.Allows(scope.Region))
                throw new ArgumentException($"Region {scope.Region} is not one of the allowed regions (REGIONS).", nameof(scope));
            if (!scope.IsHome && settings.FindById(scope.AccountId) is not { IsHome: false })
                throw new ArgumentException($"Account {scope.AccountId} is not enrolled (MEMBER_ACCOUNTS).", nameof(scope));

            // The home account's clients sign with the function's role whoever speaks; a member session is the speaker's.
            var identity = scope.IsHome ? "" : MemberCredentialCache.Identity(speakerHash);
            if (_built.Count >= MaxScopes) _built.Clear();
            return _built.GetOrAdd((scope.Key, identity), _ => new Lazy<SkillServices>(() => Build(scope, speakerHash))).Value;
        }

        private SkillServices Build(AccountScope scope, string? speakerHash)
        {
            AWSCredentials? credentials = functionCredentials;
            if (!scope.IsHome)
            {
                var cache = members.Value ?? throw new InvalidOperationException("No member account is configured.");
                credentials = cache.For(scope.AccountId, speakerHash);
            }
            var clients = new AwsClients(config, scope.Region, credentials);
            return Fleet(config, clients, scope.AccountId, credentials, home, httpOptions);
        }
    }
}
