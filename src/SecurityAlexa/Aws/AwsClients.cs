using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Aws;

/// <summary>
/// The SDK clients, each built on first use. The SDK reads AWS_REGION and honours AWS_ENDPOINT_URL
/// and AWS_ENDPOINT_URL_EC2 / _SSM / _DYNAMODB / _SQS itself, so the whole function can point at an emulator.
/// </summary>
internal sealed class AwsClients
{
    private readonly Lazy<IAmazonEC2> _ec2;
    private readonly Lazy<IAmazonSimpleSystemsManagement> _ssm;
    private readonly Lazy<IAmazonSimpleSystemsManagement> _ssmOnce;
    private readonly Lazy<IAmazonDynamoDB> _dynamo;
    private readonly Lazy<IAmazonSQS> _sqs;
    private readonly Lazy<IAmazonKeyManagementService> _kms;

    public AwsClients(SkillConfig config)
    {
        Region = config.Optional("AWS_REGION") ?? config.Optional("AWS_DEFAULT_REGION") ?? "us-east-1";
        _ec2 = new Lazy<IAmazonEC2>(() => new AmazonEC2Client(new AmazonEC2Config
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(Region),
            Timeout = TimeSpan.FromSeconds(5),
        }));
        _ssm = new Lazy<IAmazonSimpleSystemsManagement>(() =>
            new AmazonSimpleSystemsManagementClient(new AmazonSimpleSystemsManagementConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(Region),
            Timeout = TimeSpan.FromSeconds(5),
        }));
        // SendCommand has no idempotency token: an SDK retry after a time-out or a 5xx could start a second patch run.
        _ssmOnce = new Lazy<IAmazonSimpleSystemsManagement>(() =>
            new AmazonSimpleSystemsManagementClient(new AmazonSimpleSystemsManagementConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(Region),
            Timeout = TimeSpan.FromSeconds(5),
            MaxErrorRetry = 0,
        }));
        // Every state write is conditional, so an SDK retry after a lost answer is refused, never doubled.
        _dynamo = new Lazy<IAmazonDynamoDB>(() => new AmazonDynamoDBClient(new AmazonDynamoDBConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(Region),
            Timeout = TimeSpan.FromSeconds(3),
        }));
        // Only a turn that hands work on, or the consumer, builds it: an ordinary turn pays nothing for SQS.
        _sqs = new Lazy<IAmazonSQS>(() => new AmazonSQSClient(new AmazonSQSConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(Region),
            Timeout = TimeSpan.FromSeconds(3),
        }));
        _kms = new Lazy<IAmazonKeyManagementService>(() => KmsClient(Region, config.Environment));
    }

    /// <summary>
    /// The fleet's clients (EC2, Systems Manager) for another region or account: signed with
    /// <paramref name="credentials"/> (a member role's session), or the function's own when null, and pointed at
    /// AWS_ENDPOINT_URL_EC2 / _SSM or AWS_ENDPOINT_URL from the given settings. The skill's own stores (DynamoDB,
    /// SQS, KMS) are never reached through these: they stay the home account's.
    /// </summary>
    public AwsClients(SkillConfig config, string region, AWSCredentials? credentials)
    {
        Region = region;
        _ec2 = new Lazy<IAmazonEC2>(() =>
        {
            var c = new AmazonEC2Config { Timeout = TimeSpan.FromSeconds(5) };
            PointAt(c, region, config.Environment, "EC2");
            return credentials is null ? new AmazonEC2Client(c) : new AmazonEC2Client(credentials, c);
        });
        _ssm = new Lazy<IAmazonSimpleSystemsManagement>(() => SsmClient(config, region, credentials, retries: null));
        // SendCommand has no idempotency token (see the constructor above).
        _ssmOnce = new Lazy<IAmazonSimpleSystemsManagement>(() => SsmClient(config, region, credentials, retries: 0));
        _dynamo = new Lazy<IAmazonDynamoDB>(() => throw new InvalidOperationException("The state table is the home account's."));
        _sqs = new Lazy<IAmazonSQS>(() => throw new InvalidOperationException("The work queue is the home account's."));
        _kms = new Lazy<IAmazonKeyManagementService>(() =>
            throw new InvalidOperationException("The security code's key is the home account's."));
    }

    private static AmazonSimpleSystemsManagementClient SsmClient(SkillConfig config, string region, AWSCredentials? credentials,
        int? retries)
    {
        var c = new AmazonSimpleSystemsManagementConfig { Timeout = TimeSpan.FromSeconds(5) };
        if (retries is { } r) c.MaxErrorRetry = r;
        PointAt(c, region, config.Environment, "SSM");
        return credentials is null ? new AmazonSimpleSystemsManagementClient(c) : new AmazonSimpleSystemsManagementClient(credentials, c);
    }

    /// <summary>
    /// Points an SDK client at AWS_ENDPOINT_URL_&lt;SERVICE&gt;, then AWS_ENDPOINT_URL, from the given settings (signed for
    /// the region), or else at the region's own endpoint, which the SDK still lets the process's variables override.
    /// </summary>
    public static void PointAt(ClientConfig config, string region, IReadOnlyDictionary<string, string> environment, string serviceSuffix)
    {
        var endpoint = environment.GetValueOrDefault("AWS_ENDPOINT_URL_" + serviceSuffix) is { Length: > 0 } own ? own
            : environment.GetValueOrDefault("AWS_ENDPOINT_URL") is { Length: > 0 } any ? any : null;
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
    }

    /// <summary>
    /// A KMS client for the region. The SDK honours AWS_ENDPOINT_URL_KMS from the process; taking it (or
    /// AWS_ENDPOINT_URL) from the given settings as well lets the runner and tests point it elsewhere explicitly.
    /// </summary>
    public static IAmazonKeyManagementService KmsClient(string region, IReadOnlyDictionary<string, string> environment,
        TimeSpan? timeout = null)
    {
        // Inside a turn a slow KMS must leave time to answer; the runner's hash-code can wait longer.
        var config = new AmazonKeyManagementServiceConfig { Timeout = timeout ?? TimeSpan.FromSeconds(3) };
        PointAt(config, region, environment, "KMS");
        return new AmazonKeyManagementServiceClient(config);
    }

    /// <summary>Clients that already exist (mocked SDK interfaces in tests).</summary>
    public AwsClients(string region, IAmazonEC2 ec2, IAmazonSimpleSystemsManagement ssm, IAmazonDynamoDB? dynamo = null,
        IAmazonSQS? sqs = null, IAmazonKeyManagementService? kms = null)
    {
        Region = region;
        _ec2 = new Lazy<IAmazonEC2>(ec2);
        _ssm = new Lazy<IAmazonSimpleSystemsManagement>(ssm);
        _ssmOnce = _ssm;
        _dynamo = new Lazy<IAmazonDynamoDB>(() => dynamo ?? throw new InvalidOperationException("No DynamoDB client was given."));
        _sqs = new Lazy<IAmazonSQS>(() => sqs ?? throw new InvalidOperationException("No SQS client was given."));
        _kms = new Lazy<IAmazonKeyManagementService>(() => kms ?? throw new InvalidOperationException("No KMS client was given."));
    }

    /// <summary>The region every client uses.</summary>
    public string Region { get; }

    /// <summary>Created on first use, so a turn that needs no EC2 call pays nothing for it.</summary>
    public IAmazonEC2 Ec2 => _ec2.Value;

    /// <summary>Created on first use, with the SDK's retries.</summary>
    public IAmazonSimpleSystemsManagement Ssm => _ssm.Value;

    /// <summary>Systems Manager without SDK retries, for calls that must not be repeated blindly (SendCommand).</summary>
    public IAmazonSimpleSystemsManagement SsmOnce => _ssmOnce.Value;

    /// <summary>KMS, for the security code's hash; created on the first code check.</summary>
    public IAmazonKeyManagementService Kms => _kms.Value;

    /// <summary>DynamoDB, for the state table.</summary>
    public IAmazonDynamoDB Dynamo => _dynamo.Value;

    /// <summary>SQS, for the work queue.</summary>
    public IAmazonSQS Sqs => _sqs.Value;
}
