namespace SecurityAlexa.Isolation;

/// <summary>A VPC flow log that delivers to CloudWatch Logs, as DescribeFlowLogs reports it.</summary>
internal sealed record FlowLogDestination(string ResourceId, string LogGroupName, string TrafficType);
