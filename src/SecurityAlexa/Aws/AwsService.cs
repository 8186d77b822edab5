namespace SecurityAlexa.Aws;

/// <summary>
/// How to reach one AWS service that has no SDK package here: its SigV4 signing name, the host prefix
/// of its public endpoint, and the suffix of its AWS_ENDPOINT_URL_&lt;SERVICE&gt; override.
/// </summary>
internal sealed record AwsService(string SigningName, string EndpointPrefix, string EndpointEnvironmentSuffix)
{
    /// <summary>Amazon Inspector (inspector2), REST-JSON.</summary>
    public static readonly AwsService Inspector2 = new("inspector2", "inspector2", "INSPECTOR2");

    /// <summary>Amazon GuardDuty, REST-JSON.</summary>
    public static readonly AwsService GuardDuty = new("guardduty", "guardduty", "GUARDDUTY");

    /// <summary>CloudWatch Logs, JSON 1.1 (X-Amz-Target).</summary>
    public static readonly AwsService CloudWatchLogs = new("logs", "logs", "CLOUDWATCH_LOGS");

    /// <summary>Amazon EC2 Auto Scaling, Query protocol (XML).</summary>
    public static readonly AwsService AutoScaling = new("autoscaling", "autoscaling", "AUTOSCALING");

    /// <summary>Elastic Load Balancing v2 (target groups), Query protocol (XML).</summary>
    public static readonly AwsService ElasticLoadBalancingV2 = new("elasticloadbalancing", "elasticloadbalancing",
        "ELASTIC_LOAD_BALANCING_V2");

    /// <summary>IAM, Query protocol (XML): one global endpoint, signed for us-east-1 (<see cref="GlobalSigningRegion"/>).</summary>
    public static readonly AwsService Iam = new("iam", "iam", "IAM") { IsGlobal = true };

    /// <summary>True for a service with one endpoint for every region (IAM).</summary>
    public bool IsGlobal { get; init; }

    /// <summary>The region a global service is signed for.</summary>
    public const string GlobalSigningRegion = "us-east-1";

    /// <summary>The partition of a region, for ARNs: aws-cn for China, aws-us-gov for GovCloud, aws elsewhere.</summary>
    public static string PartitionOf(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary>
    /// The endpoint: AWS_ENDPOINT_URL_&lt;SERVICE&gt;, then AWS_ENDPOINT_URL, then the public regional endpoint,
    /// the same order the SDK uses, so the whole function can be pointed at an emulator.
    /// </summary>
    public Uri Endpoint(IReadOnlyDictionary<string, string> environment, string region)
    {
        foreach (var name in (string[])["AWS_ENDPOINT_URL_" + EndpointEnvironmentSuffix, "AWS_ENDPOINT_URL"])
        {
            if (environment.TryGetValue(name, out var value) && Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri))
                return uri;
        }
        var domain = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        if (IsGlobal) return new Uri($"https://{EndpointPrefix}.{domain}");
        return new Uri($"https://{EndpointPrefix}.{region}.{domain}");
    }
}
