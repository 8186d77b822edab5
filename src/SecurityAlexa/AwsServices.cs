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
        var instances = new Ec2InstanceDirectory(() => clients.Ec2);
        var flowLogs = new AwsFlowLogs(() => clients.Ec2,
            new SignedJsonClient(AwsService.CloudWatchLogs, clients.Region, config.Environment, options: httpOptions));
        return new SkillServices
        {
            Instances = instances,
            Isolation = new Ec2IsolationAccount(() => clients.Ec2),
            Containment = new Isolation.Containment.ContainmentPorts(
                new AutoScalingClient(new SignedJsonClient(AwsService.AutoScaling, clients.Region, config.Environment, options: httpOptions)),
                new ElbV2Client(new SignedJsonClient(AwsService.ElasticLoadBalancingV2, clients.Region, config.Environment,
                    options: httpOptions)),
                new Ec2InstanceStorage(() => clients.Ec2),
                new IamClient(new SignedJsonClient(AwsService.Iam, AwsService.GlobalSigningRegion, config.Environment, options: httpOptions))),
            Chat = config.Optional("CHAT_WEBHOOK_PARAMETER") is { } webhookParameter
                ? new Notifications.WebhookChatNotifier(new SsmWebhookUrlSource(() => clients.Ssm, webhookParameter))
                : null,
            FlowLogs = flowLogs,
            TrafficSources = flowLogs,
            NetworkAcls = new Ec2NetworkAcls(() => clients.Ec2),
            Tickets = new SsmOpsCenter(() => clients.Ssm, clients.Region, config.Optional("FUNCTION_ACCOUNT_ID")),
            Scanner = new Inspector2Client(new SignedJsonClient(AwsService.Inspector2, clients.Region, config.Environment,
                options: httpOptions)),
            Threats = new GuardDutyClient(new SignedJsonClient(AwsService.GuardDuty, clients.Region, config.Environment, options: httpOptions),
                clients.Region, config.Optional("FUNCTION_ACCOUNT_ID")),
            Parameters = new SsmParameterStore(() => clients.Ssm),
            CodeHashKey = config.Optional("SECURITY_CODE_KMS_KEY") is { } codeKey ? new KmsCodeHashKey(() => clients.Kms, codeKey) : null,
            // No table named: every state call fails, so changes fail closed rather than fall back to one container's memory.
            State = config.Optional("STATE_TABLE") is { } table ? new DynamoStateTable(() => clients.Dynamo, table)
                : new State.MissingStateTable(),
            Patches = new SsmPatchManager(() => clients.Ssm, () => clients.SsmOnce),
            WorkQueue = config.Optional("WORK_QUEUE_URL") is { } queueUrl ? new SqsWorkQueue(() => clients.Sqs, queueUrl) : null,
            WorkQueueUrl = config.Optional("WORK_QUEUE_URL"),
        };
    }
}
