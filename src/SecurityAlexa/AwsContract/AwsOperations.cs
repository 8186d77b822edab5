namespace SecurityAlexa.AwsContract;

/// <summary>
/// Every AWS operation the function calls, as IAM action names. Adapters name their calls from this
/// list, and a test checks that template.yaml grants exactly these actions.
/// </summary>
internal static class AwsOperations
{
    // Each capability adds its operations here, next to the others of the same service.

    /// <summary>Lists instance tags for target resolution.</summary>
    public const string Ec2DescribeTags = "ec2:DescribeTags";

    /// <summary>Describes instances chosen by tag, id or state.</summary>
    public const string Ec2DescribeInstances = "ec2:DescribeInstances";

    // EC2, isolation (see docs/isolation.md for why each is needed).
    public const string Ec2DescribeNetworkInterfaces = "ec2:DescribeNetworkInterfaces";
    public const string Ec2DescribeInstanceAttribute = "ec2:DescribeInstanceAttribute";
    public const string Ec2ModifyInstanceAttribute = "ec2:ModifyInstanceAttribute";
    public const string Ec2ModifyNetworkInterfaceAttribute = "ec2:ModifyNetworkInterfaceAttribute";
    public const string Ec2CreateTags = "ec2:CreateTags";
    public const string Ec2DeleteTags = "ec2:DeleteTags";
    public const string Ec2DescribeSecurityGroups = "ec2:DescribeSecurityGroups";
    public const string Ec2CreateSecurityGroup = "ec2:CreateSecurityGroup";
    public const string Ec2AuthorizeSecurityGroupIngress = "ec2:AuthorizeSecurityGroupIngress";
    public const string Ec2AuthorizeSecurityGroupEgress = "ec2:AuthorizeSecurityGroupEgress";
    public const string Ec2RevokeSecurityGroupEgress = "ec2:RevokeSecurityGroupEgress";
    public const string Ec2CreateSnapshots = "ec2:CreateSnapshots";
    public const string Ec2DescribeFlowLogs = "ec2:DescribeFlowLogs";

    // EC2, blocking an address in a subnet's network ACL (see docs/blocking.md).
    public const string Ec2DescribeNetworkAcls = "ec2:DescribeNetworkAcls";
    public const string Ec2DescribeVpcs = "ec2:DescribeVpcs";
    public const string Ec2CreateNetworkAclEntry = "ec2:CreateNetworkAclEntry";
    public const string Ec2DeleteNetworkAclEntry = "ec2:DeleteNetworkAclEntry";

    // Containment before the swap (Isolation/Containment; docs/isolation.md says why each is needed).
    public const string AutoScalingDescribeAutoScalingInstances = "autoscaling:DescribeAutoScalingInstances";
    public const string AutoScalingSetInstanceProtection = "autoscaling:SetInstanceProtection";
    public const string AutoScalingEnterStandby = "autoscaling:EnterStandby";
    public const string AutoScalingExitStandby = "autoscaling:ExitStandby";
    public const string AutoScalingDetachInstances = "autoscaling:DetachInstances";
    public const string AutoScalingAttachInstances = "autoscaling:AttachInstances";
    public const string ElbDescribeTargetGroups = "elasticloadbalancing:DescribeTargetGroups";
    public const string ElbDescribeTargetHealth = "elasticloadbalancing:DescribeTargetHealth";
    public const string ElbDeregisterTargets = "elasticloadbalancing:DeregisterTargets";
    public const string ElbRegisterTargets = "elasticloadbalancing:RegisterTargets";
    public const string IamGetInstanceProfile = "iam:GetInstanceProfile";
    public const string IamPutRolePolicy = "iam:PutRolePolicy";
    public const string IamDeleteRolePolicy = "iam:DeleteRolePolicy";

    // Systems Manager Parameter Store: the chat webhook URL is read with SsmGetParameter (below).

    // CloudWatch Logs Insights: blocked traffic in VPC flow logs.
    public const string LogsStartQuery = "logs:StartQuery";
    public const string LogsGetQueryResults = "logs:GetQueryResults";

    /// <summary>Reads whether Inspector scans EC2 in the account.</summary>
    public const string InspectorBatchGetAccountStatus = "inspector2:BatchGetAccountStatus";

    /// <summary>Turns on Inspector EC2 scanning (after a spoken yes).</summary>
    public const string InspectorEnable = "inspector2:Enable";

    /// <summary>Starts a one-time CIS scan of a tag.</summary>
    public const string InspectorCreateCisScanConfiguration = "inspector2:CreateCisScanConfiguration";

    /// <summary>Reads continuous-scanning coverage of tagged instances.</summary>
    public const string InspectorListCoverage = "inspector2:ListCoverage";

    /// <summary>Counts covered instances of a tag in one call, whatever the fleet size.</summary>
    public const string InspectorListCoverageStatistics = "inspector2:ListCoverageStatistics";

    /// <summary>Finds the skill's CIS scans by name.</summary>
    public const string InspectorListCisScans = "inspector2:ListCisScans";

    /// <summary>Reads a CIS scan's checks per instance.</summary>
    public const string InspectorListCisScanResultsAggregatedByTargetResource = "inspector2:ListCisScanResultsAggregatedByTargetResource";

    /// <summary>Counts findings per instance by severity.</summary>
    public const string InspectorListFindingAggregations = "inspector2:ListFindingAggregations";

    /// <summary>Reads the top few findings for the card.</summary>
    public const string InspectorListFindings = "inspector2:ListFindings";

    /// <summary>Gets a finished CIS scan's report link for the card.</summary>
    public const string InspectorGetCisScanReport = "inspector2:GetCisScanReport";

    // Amazon GuardDuty (issue 20): findings read aloud, and on-demand malware scans. Nothing archives or changes a finding.

    /// <summary>Finds this region's detector.</summary>
    public const string GuardDutyListDetectors = "guardduty:ListDetectors";

    /// <summary>Counts open findings by severity in one call.</summary>
    public const string GuardDutyGetFindingsStatistics = "guardduty:GetFindingsStatistics";

    /// <summary>Lists the ids of the most severe open findings (one page).</summary>
    public const string GuardDutyListFindings = "guardduty:ListFindings";

    /// <summary>Reads those findings: type, severity, instance.</summary>
    public const string GuardDutyGetFindings = "guardduty:GetFindings";

    /// <summary>Starts an on-demand malware scan of one instance (after a spoken yes).</summary>
    public const string GuardDutyStartMalwareScan = "guardduty:StartMalwareScan";

    /// <summary>Reads a malware scan's status and result.</summary>
    public const string GuardDutyDescribeMalwareScans = "guardduty:DescribeMalwareScans";

    /// <summary>Reads the security code hash (SecureString) and the chat webhook URL.</summary>
    public const string SsmGetParameter = "ssm:GetParameter";

    /// <summary>Decrypts the security code's hash under the stack's own KMS key (docs/security.md).</summary>
    public const string KmsDecrypt = "kms:Decrypt";

    // DynamoDB, the state table (STATE_TABLE; docs/state.md): claims, code attempts and lockouts.

    /// <summary>Reads an item (lockouts), strongly consistent.</summary>
    public const string DynamoGetItem = "dynamodb:GetItem";

    /// <summary>
    /// Reads up to 100 items in a call, strongly consistent: the isolation records of the instances a patch checks one by one.
    /// </summary>
    public const string DynamoBatchGetItem = "dynamodb:BatchGetItem";

    /// <summary>Conditional put: claims a request or event id once.</summary>
    public const string DynamoPutItem = "dynamodb:PutItem";

    /// <summary>Atomic ADD and conditional updates: wrong-code counters and lockouts.</summary>
    public const string DynamoUpdateItem = "dynamodb:UpdateItem";

    /// <summary>Gives a claim back when the work it guarded could not be done.</summary>
    public const string DynamoDeleteItem = "dynamodb:DeleteItem";

    /// <summary>The sweeper's search for isolation records that did not finish.</summary>
    public const string DynamoScan = "dynamodb:Scan";
    // SQS, the work queue (WORK_QUEUE_URL): work that outlives a turn.

    /// <summary>Hands units on to the queue: SendMessageBatch, whose IAM action is sqs:SendMessage.</summary>
    public const string SqsSendMessage = "sqs:SendMessage";

    // Called with the function's role by Lambda's event source mapping, which polls the queue for the function.
    public const string SqsReceiveMessage = "sqs:ReceiveMessage";
    public const string SqsDeleteMessage = "sqs:DeleteMessage";
    public const string SqsGetQueueAttributes = "sqs:GetQueueAttributes";

    /// <summary>Which instances SSM manages and whether their agents answer.</summary>
    public const string SsmDescribeInstanceInformation = "ssm:DescribeInstanceInformation";

    /// <summary>The tags of a managed node outside EC2, which a tag-targeted command would also reach.</summary>
    public const string SsmListTagsForResource = "ssm:ListTagsForResource";

    /// <summary>Which baseline is registered for each patch group.</summary>
    public const string SsmDescribePatchGroups = "ssm:DescribePatchGroups";

    /// <summary>The default baseline of an operating system.</summary>
    public const string SsmGetDefaultPatchBaseline = "ssm:GetDefaultPatchBaseline";

    /// <summary>Runs AWS-RunPatchBaseline.</summary>
    public const string SsmSendCommand = "ssm:SendCommand";

    /// <summary>Finds this skill's patch commands and their overall state.</summary>
    public const string SsmListCommands = "ssm:ListCommands";

    /// <summary>Per-instance progress of a patch command.</summary>
    public const string SsmListCommandInvocations = "ssm:ListCommandInvocations";

    /// <summary>Patch compliance after a run.</summary>
    public const string SsmDescribeInstancePatchStates = "ssm:DescribeInstancePatchStates";

    // Systems Manager OpsCenter: tickets (TICKETS=opscenter; docs/tickets.md).

    /// <summary>Opens an incident's OpsItem.</summary>
    public const string SsmCreateOpsItem = "ssm:CreateOpsItem";

    /// <summary>Adds a later action to the incident's open OpsItem.</summary>
    public const string SsmUpdateOpsItem = "ssm:UpdateOpsItem";

    /// <summary>Finds the incident's open OpsItem, and lists the skill's open OpsItems.</summary>
    public const string SsmDescribeOpsItems = "ssm:DescribeOpsItems";

    // STS: member accounts (MEMBER_ACCOUNTS; docs/accounts.md). Granted only when member accounts are configured.

    /// <summary>Assumes the member role in a member account, with the external id and the speaker as source identity.</summary>
    public const string StsAssumeRole = "sts:AssumeRole";

    /// <summary>Not a call of its own: the permission AssumeRole needs to set the session's SourceIdentity.</summary>
    public const string StsSetSourceIdentity = "sts:SetSourceIdentity";

    /// <summary>All operations, for the IAM policy check.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Ec2DescribeTags,
        Ec2DescribeInstances,
        Ec2DescribeNetworkInterfaces, Ec2DescribeInstanceAttribute, Ec2ModifyInstanceAttribute,
        Ec2ModifyNetworkInterfaceAttribute, Ec2CreateTags, Ec2DeleteTags, Ec2DescribeSecurityGroups, Ec2CreateSecurityGroup,
        Ec2AuthorizeSecurityGroupIngress, Ec2AuthorizeSecurityGroupEgress, Ec2RevokeSecurityGroupEgress, Ec2CreateSnapshots,
        Ec2DescribeFlowLogs, LogsStartQuery, LogsGetQueryResults,
        Ec2DescribeNetworkAcls, Ec2DescribeVpcs, Ec2CreateNetworkAclEntry, Ec2DeleteNetworkAclEntry,
        AutoScalingDescribeAutoScalingInstances, AutoScalingSetInstanceProtection, AutoScalingEnterStandby, AutoScalingExitStandby,
        AutoScalingDetachInstances, AutoScalingAttachInstances,
        ElbDescribeTargetGroups, ElbDescribeTargetHealth, ElbDeregisterTargets, ElbRegisterTargets,
        IamGetInstanceProfile, IamPutRolePolicy, IamDeleteRolePolicy,
        InspectorBatchGetAccountStatus,
        InspectorEnable,
        InspectorCreateCisScanConfiguration,
        InspectorListCoverage,
        InspectorListCoverageStatistics,
        InspectorListCisScans,
        InspectorListCisScanResultsAggregatedByTargetResource,
        InspectorListFindingAggregations,
        InspectorListFindings,
        InspectorGetCisScanReport,
        GuardDutyListDetectors, GuardDutyGetFindingsStatistics, GuardDutyListFindings, GuardDutyGetFindings,
        GuardDutyStartMalwareScan, GuardDutyDescribeMalwareScans,
        SsmGetParameter,
        KmsDecrypt,
        DynamoGetItem,
        DynamoBatchGetItem,
        DynamoPutItem,
        DynamoUpdateItem,
        DynamoDeleteItem,
        DynamoScan,
        SqsSendMessage, SqsReceiveMessage, SqsDeleteMessage, SqsGetQueueAttributes,
        SsmDescribeInstanceInformation,
        SsmListTagsForResource,
        SsmDescribePatchGroups,
        SsmGetDefaultPatchBaseline,
        SsmSendCommand,
        SsmListCommands,
        SsmListCommandInvocations,
        SsmDescribeInstancePatchStates,
        SsmCreateOpsItem, SsmUpdateOpsItem, SsmDescribeOpsItems,
        StsAssumeRole, StsSetSourceIdentity,
    ];

    /// <summary>
    /// What only the function's own account is asked: the skill's state, queue, security code, chat webhook and tickets,
    /// and the member roles themselves. Every other operation reaches the scope's account.
    /// </summary>
    public static IReadOnlyList<string> HomeOnly { get; } =
    [
        SsmGetParameter, KmsDecrypt,
        DynamoGetItem, DynamoBatchGetItem, DynamoPutItem, DynamoUpdateItem, DynamoDeleteItem, DynamoScan,
        SqsSendMessage, SqsReceiveMessage, SqsDeleteMessage, SqsGetQueueAttributes,
        SsmCreateOpsItem, SsmUpdateOpsItem, SsmDescribeOpsItems,
        StsAssumeRole, StsSetSourceIdentity,
    ];

    /// <summary>What the function calls in a member account, with the member role: exactly what member-role.yaml grants.</summary>
    public static IReadOnlyList<string> MemberAccount { get; } = [.. All.Except(HomeOnly)];
}
