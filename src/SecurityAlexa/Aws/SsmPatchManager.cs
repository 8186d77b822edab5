using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SecurityAlexa.Patching;
using InstancePatchState = SecurityAlexa.Patching.InstancePatchState;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>
/// The patching port over Systems Manager: a thin translation between SSM calls and Patching records.
/// Every call goes through <see cref="AwsCall"/>; every list SSM may return as null is guarded.
/// </summary>
internal sealed class SsmPatchManager : IPatchManager
{
    // API limits: 50 ids per filter or SendCommand, 50 results per page for these list calls.
    private const int IdsPerCall = 50;
    private const int PageSize = 50;
    // A bound on paging so that a huge account cannot hold the answer past Alexa's deadline.
    private const int MaxPages = 20;

    private readonly Func<IAmazonSimpleSystemsManagement> _ssm;
    private readonly Func<IAmazonSimpleSystemsManagement> _send;

    /// <summary>An adapter over a client.</summary>
    public SsmPatchManager(IAmazonSimpleSystemsManagement ssm) => _ssm = _send = () => ssm;

    /// <summary>An adapter over a client built on first use, so cold start does not pay for it.</summary>
    public SsmPatchManager(Func<IAmazonSimpleSystemsManagement> ssm) => _ssm = _send = ssm;

    /// <summary>
    /// An adapter that sends commands with <paramref name="send"/>, a client without SDK retries: a retried SendCommand
    /// that SSM had accepted the first time would patch (and reboot) twice.
    /// </summary>
    public SsmPatchManager(Func<IAmazonSimpleSystemsManagement> ssm, Func<IAmazonSimpleSystemsManagement> send)
    {
        _ssm = ssm;
        _send = send;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ManagedNode>> DescribeManagedNodesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        var nodes = new List<ManagedNode>();
        foreach (var chunk in instanceIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerCall))
        {
            string? token = null;
            var pages = 0;
            do
            {
                var request = new DescribeInstanceInformationRequest
                {
                    Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [.. chunk] }],
                    MaxResults = PageSize,
                    NextToken = token,
                };
                var response = await AwsCall.RunAsync(AwsOperations.SsmDescribeInstanceInformation,
                    ct => _ssm().DescribeInstanceInformationAsync(request, ct), cancellationToken).ConfigureAwait(false);
                foreach (var info in response.InstanceInformationList ?? [])
                {
                    if (info?.InstanceId is null) continue;
                    nodes.Add(new ManagedNode(info.InstanceId, info.PingStatus?.Value, info.PlatformName, info.PlatformVersion,
                        info.PlatformType?.Value));
                }
                token = response.NextToken;
            }
            while (!string.IsNullOrEmpty(token) && ++pages < MaxPages);
        }
        return nodes;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ManagedNode>> SampleManagedNodesByTagAsync(string tagKey, IReadOnlyList<string> tagValues, int max,
        CancellationToken cancellationToken)
    {
        // One page only: a sample to speak about, bounded whatever the size of the group.
        var request = new DescribeInstanceInformationRequest
        {
            Filters = [new InstanceInformationStringFilter { Key = "tag:" + tagKey, Values = [.. tagValues] }],
            MaxResults = Math.Clamp(max, 5, PageSize),
        };
        var response = await AwsCall.RunAsync(AwsOperations.SsmDescribeInstanceInformation,
            ct => _ssm().DescribeInstanceInformationAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return (response.InstanceInformationList ?? [])
            .Where(info => info?.InstanceId is not null)
            .Select(info => new ManagedNode(info.InstanceId, info.PingStatus?.Value, info.PlatformName, info.PlatformVersion,
                info.PlatformType?.Value))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<(IReadOnlyList<string> NodeIds, bool More)> ListNonEc2NodesAsync(int max, CancellationToken cancellationToken)
    {
        // Tag filters cannot be combined with other filter types, so this asks by resource type only; tags are read per node.
        var request = new DescribeInstanceInformationRequest
        {
            Filters = [new InstanceInformationStringFilter { Key = "ResourceType", Values = [ResourceType.ManagedInstance.Value] }],
            MaxResults = Math.Clamp(max, 5, PageSize),
        };
        var response = await AwsCall.RunAsync(AwsOperations.SsmDescribeInstanceInformation,
            ct => _ssm().DescribeInstanceInformationAsync(request, ct), cancellationToken).ConfigureAwait(false);
        var ids = (response.InstanceInformationList ?? []).Select(info => info?.InstanceId).OfType<string>().ToList();
        return (ids, !string.IsNullOrEmpty(response.NextToken));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Key, string Value)>> NonEc2NodeTagsAsync(string nodeId, CancellationToken cancellationToken)
    {
        var request = new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.ManagedInstance, ResourceId = nodeId };
        var response = await AwsCall.RunAsync(AwsOperations.SsmListTagsForResource,
            ct => _ssm().ListTagsForResourceAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return (response.TagList ?? []).Where(t => t?.Key is not null).Select(t => (t.Key, t.Value ?? "")).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PatchGroupBaseline>> ListPatchGroupBaselinesAsync(CancellationToken cancellationToken)
    {
        var result = new List<PatchGroupBaseline>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new DescribePatchGroupsRequest { MaxResults = 100, NextToken = token };
            var response = await AwsCall.RunAsync(AwsOperations.SsmDescribePatchGroups,
                ct => _ssm().DescribePatchGroupsAsync(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var mapping in response.Mappings ?? [])
            {
                if (mapping?.PatchGroup is null || mapping.BaselineIdentity?.BaselineId is null) continue;
                var baseline = mapping.BaselineIdentity;
                result.Add(new PatchGroupBaseline(mapping.PatchGroup, baseline.BaselineId, baseline.BaselineName,
                    baseline.OperatingSystem?.Value));
            }
            token = response.NextToken;
        }
        while (!string.IsNullOrEmpty(token) && ++pages < MaxPages);
        return result;
    }

    /// <inheritdoc />
    public async Task<string?> GetDefaultBaselineAsync(string operatingSystem, CancellationToken cancellationToken)
    {
        var request = new GetDefaultPatchBaselineRequest { OperatingSystem =
            new Amazon.SimpleSystemsManagement.OperatingSystem(operatingSystem) };
        var response = await AwsCall.RunAsync(AwsOperations.SsmGetDefaultPatchBaseline,
            ct => _ssm().GetDefaultPatchBaselineAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return response.BaselineId;
    }

    /// <inheritdoc />
    public async Task<string> SendPatchCommandAsync(PatchCommandRequest request, CancellationToken cancellationToken)
    {
        var command = request;
        if (!command.Target.IsTag && (command.Target.InstanceIds.Count is 0 or > IdsPerCall))
            throw new ArgumentException($"A patch command takes 1 to {IdsPerCall} instance ids.", nameof(request));
        var send = new SendCommandRequest
        {
            DocumentName = PatchSettings.Document,
            Parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal)
            {
                ["Operation"] = [command.Operation],
                ["RebootOption"] = [command.RebootOption],
            },
            MaxConcurrency = command.MaxConcurrency,
            MaxErrors = command.MaxErrors,
            Comment = command.Comment,
        };
        if (command.Target.IsTag) send.Targets = [new Target { Key = "tag:" + command.Target.TagKey,
            Values = [.. command.Target.TagValues] }];
        else send.InstanceIds = [.. command.Target.InstanceIds];
        var response = await AwsCall.RunAsync(AwsOperations.SsmSendCommand,
            ct => _send().SendCommandAsync(send, ct), cancellationToken).ConfigureAwait(false);
        return response.Command?.CommandId
            ?? throw new AwsCallException(AwsOperations.SsmSendCommand, AwsFailure.Other, null,
                response.HttpStatusCode, "SendCommand returned no command id.");
    }

    /// <inheritdoc />
    public async Task<PatchCommand?> GetCommandAsync(string commandId, CancellationToken cancellationToken)
    {
        var request = new ListCommandsRequest { CommandId = commandId };
        try
        {
            var response = await AwsCall.RunAsync(AwsOperations.SsmListCommands,
                ct => _ssm().ListCommandsAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return (response.Commands ?? []).Where(c => c?.CommandId == commandId).Select(ToCommand).FirstOrDefault();
        }
        catch (AwsCallException e) when (e.ErrorCode == "InvalidCommandId")
        {
            // SSM forgets commands after 30 days; the caller says so rather than failing.
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PatchCommand>> ListRecentPatchCommandsAsync(DateTimeOffset since, int limit,
        CancellationToken cancellationToken)
    {
        var result = new List<PatchCommand>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new ListCommandsRequest
            {
                Filters =
                [
                    new CommandFilter { Key = CommandFilterKey.DocumentName, Value = PatchSettings.Document },
                    new CommandFilter { Key = CommandFilterKey.InvokedAfter,
                        Value = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
                ],
                MaxResults = Math.Clamp(limit - result.Count, 1, PageSize),
                NextToken = token,
            };
            var response = await AwsCall.RunAsync(AwsOperations.SsmListCommands,
                ct => _ssm().ListCommandsAsync(request, ct), cancellationToken).ConfigureAwait(false);
            result.AddRange((response.Commands ?? []).Where(c => c?.CommandId is not null).Select(ToCommand));
            token = response.NextToken;
        }
        while (!string.IsNullOrEmpty(token) && result.Count < limit && ++pages < MaxPages);
        return result.OrderByDescending(c => c.RequestedAt ?? DateTimeOffset.MinValue).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PatchInvocation>> ListInvocationsAsync(string commandId, CancellationToken cancellationToken)
    {
        var result = new List<PatchInvocation>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new ListCommandInvocationsRequest { CommandId = commandId, MaxResults = PageSize, NextToken = token };
            var response = await AwsCall.RunAsync(AwsOperations.SsmListCommandInvocations,
                ct => _ssm().ListCommandInvocationsAsync(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var invocation in response.CommandInvocations ?? [])
            {
                if (invocation?.InstanceId is null) continue;
                result.Add(new PatchInvocation(invocation.InstanceId, invocation.Status?.Value ?? "Pending", invocation.StatusDetails));
            }
            token = response.NextToken;
        }
        while (!string.IsNullOrEmpty(token) && ++pages < MaxPages);
        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstancePatchState>> DescribePatchStatesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        var result = new List<InstancePatchState>();
        foreach (var chunk in instanceIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerCall))
        {
            string? token = null;
            var pages = 0;
            do
            {
                var request = new DescribeInstancePatchStatesRequest { InstanceIds = [.. chunk], MaxResults = PageSize,
                    NextToken = token };
                var response = await AwsCall.RunAsync(AwsOperations.SsmDescribeInstancePatchStates,
                    ct => _ssm().DescribeInstancePatchStatesAsync(request, ct), cancellationToken).ConfigureAwait(false);
                foreach (var state in response.InstancePatchStates ?? [])
                {
                    if (state?.InstanceId is null) continue;
                    result.Add(new InstancePatchState(state.InstanceId, state.MissingCount ?? 0, state.FailedCount ?? 0,
                        state.InstalledPendingRebootCount ?? 0, state.CriticalNonCompliantCount ?? 0, state.SecurityNonCompliantCount ?? 0,
                        Utc(state.OperationEndTime)));
                }
                token = response.NextToken;
            }
            while (!string.IsNullOrEmpty(token) && ++pages < MaxPages);
        }
        return result;
    }

    private static PatchCommand ToCommand(Command c) => new(
        c.CommandId, c.Comment, c.Status?.Value ?? "Pending", Utc(c.RequestedDateTime),
        c.TargetCount ?? 0, c.CompletedCount ?? 0, c.ErrorCount ?? 0, c.DeliveryTimedOutCount ?? 0);

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v
        ? new DateTimeOffset(DateTime.SpecifyKind(v, v.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : v.Kind)).ToUniversalTime()
        : null;
}
