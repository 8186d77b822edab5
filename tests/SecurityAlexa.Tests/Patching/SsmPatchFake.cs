using System.Net;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Moq;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// A strict Moq <see cref="IAmazonSimpleSystemsManagement"/> for patching: managed instances, patch groups,
/// default baselines, commands, invocations and patch states, answering like SSM (null for empty lists,
/// pages of at most the requested size) and recording every request.
/// </summary>
public sealed class SsmPatchFake
{
    private readonly Dictionary<string, (string Ping, string Platform, string Version)> _nodes = new(StringComparer.Ordinal);
    private readonly List<PatchGroupPatchBaselineMapping> _groups = [];
    private readonly Dictionary<string, string> _defaults = new(StringComparer.Ordinal) { ["AMAZON_LINUX_2023"] = "pb-0default2023" };
    private readonly List<Command> _commands = [];
    private readonly Dictionary<string, List<CommandInvocation>> _invocations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InstancePatchState> _states = new(StringComparer.Ordinal);
    private int _sent;

    /// <param name="mock">A strict mock to add the patching calls to (one that already plays Parameter Store reads, say); a new one when null.</param>
    public SsmPatchFake(Mock<IAmazonSimpleSystemsManagement>? mock = null)
    {
        Mock = mock ?? new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        Mock.Setup(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DescribeInstanceInformationRequest r, CancellationToken _) =>
            {
                lock (InformationRequests) InformationRequests.Add(r);
                // SSM's resource-type filter: the managed nodes outside EC2 (mi-...), one page, with a token when there are more.
                if (r.Filters?.SingleOrDefault(f => f.Key == "ResourceType") is { } byType)
                {
                    if (OffEc2Failure is { } failure) throw failure;
                    var offEc2 = byType.Values.Contains("ManagedInstance") ? OffEc2.Keys.Take(r.MaxResults ?? 10).ToList() : [];
                    return new DescribeInstanceInformationResponse
                    {
                        InstanceInformationList = offEc2.Count == 0 ? null : offEc2.Select(id => new InstanceInformation
                            { InstanceId = id, ResourceType = ResourceType.ManagedInstance, PingStatus = PingStatus.Online }).ToList(),
                        NextToken = OffEc2.Count > offEc2.Count ? "more" : null,
                    };
                }
                var ids = r.Filters?.SingleOrDefault(f => f.Key == "InstanceIds")?.Values ?? [];
                // SSM's tag filter (tag:Key) answers from the managed instances carrying the tag, one page of MaxResults.
                if (r.Filters?.SingleOrDefault(f => f.Key.StartsWith("tag:", StringComparison.Ordinal)) is { } byTag)
                    ids = (Tagged?.Invoke(byTag.Key[4..], byTag.Values) ?? []).Where(_nodes.ContainsKey).Take(r.MaxResults ?? 50).ToList();
                var list = ids.Where(_nodes.ContainsKey).Select(id => new InstanceInformation
                {
                    InstanceId = id,
                    PingStatus = new PingStatus(_nodes[id].Ping),
                    PlatformName = _nodes[id].Platform,
                    PlatformVersion = _nodes[id].Version,
                    PlatformType = PlatformType.Linux,
                }).ToList();
                return new DescribeInstanceInformationResponse { InstanceInformationList = list.Count == 0 ? null : list };
            });
        Mock.Setup(m => m.ListTagsForResourceAsync(It.IsAny<ListTagsForResourceRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ListTagsForResourceRequest r, CancellationToken _) =>
            {
                lock (TagRequests) TagRequests.Add(r);
                var tags = r.ResourceType == ResourceTypeForTagging.ManagedInstance ? OffEc2.GetValueOrDefault(r.ResourceId) ?? [] : [];
                return new ListTagsForResourceResponse { TagList = tags.Count == 0 ? null : tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList() };
            });
        Mock.Setup(m => m.DescribePatchGroupsAsync(It.IsAny<DescribePatchGroupsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new DescribePatchGroupsResponse { Mappings = _groups.Count == 0 ? null : _groups });
        Mock.Setup(m => m.GetDefaultPatchBaselineAsync(It.IsAny<GetDefaultPatchBaselineRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GetDefaultPatchBaselineRequest r, CancellationToken _) =>
                new GetDefaultPatchBaselineResponse { BaselineId = _defaults.GetValueOrDefault(r.OperatingSystem.Value), OperatingSystem = r.OperatingSystem });
        Mock.Setup(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SendCommandRequest r, CancellationToken ct) =>
            {
                OnSend?.Invoke(ct);
                if (SendFailure is { } failure && Sent.Count >= FailSendAfter) throw failure;
                var lost = LostAnswer is { } l && Sent.Count >= FailSendAfter ? l : null;
                Sent.Add(r);
                var id = "cmd-" + (++_sent);
                var command = new Command
                {
                    CommandId = id,
                    Comment = r.Comment,
                    DocumentName = r.DocumentName,
                    Status = CommandStatus.Pending,
                    RequestedDateTime = Now.UtcDateTime,
                    InstanceIds = r.InstanceIds,
                    TargetCount = r.InstanceIds?.Count ?? 0,
                };
                _commands.Add(command);
                // SSM accepted the command, but its answer never arrived.
                if (lost is not null) throw lost;
                return new SendCommandResponse { Command = command };
            });
        Mock.Setup(m => m.ListCommandsAsync(It.IsAny<ListCommandsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ListCommandsRequest r, CancellationToken _) =>
            {
                lock (ListRequests) ListRequests.Add(r);
                if (r.CommandId is { } id)
                {
                    var one = _commands.Where(c => c.CommandId == id).ToList();
                    if (one.Count == 0) throw new InvalidCommandIdException("no such command") { ErrorCode = "InvalidCommandId", StatusCode = HttpStatusCode.BadRequest };
                    return new ListCommandsResponse { Commands = one };
                }
                // ListCommands may not show a new command yet, or not within its one page.
                if (Unlisted) return new ListCommandsResponse { Commands = null };
                var all = _commands.OrderByDescending(c => c.RequestedDateTime).Take(r.MaxResults ?? 50).ToList();
                return new ListCommandsResponse { Commands = all.Count == 0 ? null : all };
            });
        Mock.Setup(m => m.ListCommandInvocationsAsync(It.IsAny<ListCommandInvocationsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ListCommandInvocationsRequest r, CancellationToken _) =>
            {
                var list = _invocations.GetValueOrDefault(r.CommandId) ?? [];
                return new ListCommandInvocationsResponse { CommandInvocations = list.Count == 0 ? null : list };
            });
        Mock.Setup(m => m.DescribeInstancePatchStatesAsync(It.IsAny<DescribeInstancePatchStatesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DescribeInstancePatchStatesRequest r, CancellationToken _) =>
            {
                lock (PatchStateRequests) PatchStateRequests.Add(r);
                var list = r.InstanceIds.Where(_states.ContainsKey).Select(id => _states[id]).ToList();
                return new DescribeInstancePatchStatesResponse { InstancePatchStates = list.Count == 0 ? null : list };
            });
    }

    public Mock<IAmazonSimpleSystemsManagement> Mock { get; }

    public IAmazonSimpleSystemsManagement Client => Mock.Object;

    /// <summary>The time stamped on commands sent.</summary>
    public DateTimeOffset Now { get; set; } = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    public List<SendCommandRequest> Sent { get; } = [];

    public List<DescribeInstanceInformationRequest> InformationRequests { get; } = [];

    /// <summary>Managed nodes outside EC2 (on-premises, mi-...) and their tags, in the order SSM lists them.</summary>
    public Dictionary<string, List<(string Key, string Value)>> OffEc2 { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, DescribeInstanceInformation by resource type throws this.</summary>
    public Exception? OffEc2Failure { get; set; }

    public List<ListTagsForResourceRequest> TagRequests { get; } = [];

    /// <summary>The DescribeInstanceInformation requests that asked for the managed nodes outside EC2.</summary>
    public List<DescribeInstanceInformationRequest> OffEc2Requests
    {
        get { lock (InformationRequests) return InformationRequests.Where(r => r.Filters?.Any(f => f.Key == "ResourceType") == true).ToList(); }
    }

    /// <summary>Adds a managed node outside EC2 carrying the given tags.</summary>
    public SsmPatchFake OffEc2Node(string id, params (string Key, string Value)[] tags)
    {
        OffEc2[id] = [.. tags];
        return this;
    }

    public List<ListCommandsRequest> ListRequests { get; } = [];

    public List<DescribeInstancePatchStatesRequest> PatchStateRequests { get; } = [];

    /// <summary>Which instances carry a tag (key, values), for DescribeInstanceInformation's tag filter; none when unset.</summary>
    public Func<string, IReadOnlyCollection<string>, IEnumerable<string>>? Tagged { get; set; }

    /// <summary>When set, SendCommand throws this once <see cref="FailSendAfter"/> commands have gone out.</summary>
    public Exception? SendFailure { get; set; }

    public int FailSendAfter { get; set; }

    /// <summary>When set, SendCommand records the command (SSM accepted it) and then throws this, once <see cref="FailSendAfter"/> commands have gone out.</summary>
    public Exception? LostAnswer { get; set; }

    /// <summary>When true, ListCommands without a command id finds nothing (a command not listed yet, or beyond the page).</summary>
    public bool Unlisted { get; set; }

    /// <summary>Runs before each SendCommand with its token (to move a fake clock past the deadline, say).</summary>
    public Action<CancellationToken>? OnSend { get; set; }

    /// <summary>The ListCommands requests that searched recent commands (no command id), as a look-up by comment does.</summary>
    public List<ListCommandsRequest> Searches { get { lock (ListRequests) return ListRequests.Where(r => r.CommandId is null).ToList(); } }

    /// <summary>Managed instances with an agent that answers.</summary>
    public SsmPatchFake Online(params string[] ids) => Node("Online", ids);

    /// <summary>Managed instances whose agent has stopped answering.</summary>
    public SsmPatchFake ConnectionLost(params string[] ids) => Node("ConnectionLost", ids);

    /// <summary>Registers a baseline for a patch group.</summary>
    public SsmPatchFake Group(string group, string baselineId, string baselineName, string os = "AMAZON_LINUX_2023")
    {
        _groups.Add(new PatchGroupPatchBaselineMapping
        {
            PatchGroup = group,
            BaselineIdentity = new PatchBaselineIdentity { BaselineId = baselineId, BaselineName = baselineName, OperatingSystem = new Amazon.SimpleSystemsManagement.OperatingSystem(os) },
        });
        return this;
    }

    /// <summary>A command that exists already (sent earlier, perhaps by someone else).</summary>
    public SsmPatchFake Command(string id, string? comment, DateTimeOffset requested, string status = "InProgress", int targetCount = 0, string document = "AWS-RunPatchBaseline")
    {
        _commands.Add(new Command
        {
            CommandId = id, Comment = comment, Status = new CommandStatus(status), RequestedDateTime = requested.UtcDateTime,
            TargetCount = targetCount, DocumentName = document,
        });
        return this;
    }

    /// <summary>Sets a command's overall status.</summary>
    public SsmPatchFake CommandStatusIs(string id, string status)
    {
        _commands.Single(c => c.CommandId == id).Status = new CommandStatus(status);
        return this;
    }

    /// <summary>Sets a command's own counts, as SSM reports them for a tag-targeted command.</summary>
    public SsmPatchFake CommandCounts(string id, int target, int completed, int errors = 0, int timedOut = 0, string status = "InProgress")
    {
        var command = _commands.Single(c => c.CommandId == id);
        (command.TargetCount, command.CompletedCount, command.ErrorCount, command.DeliveryTimedOutCount) = (target, completed, errors, timedOut);
        command.Status = new CommandStatus(status);
        return this;
    }

    /// <summary>Sets the invocations of a command as (instance id, status).</summary>
    public SsmPatchFake Invocations(string commandId, params (string InstanceId, string Status)[] invocations)
    {
        _invocations[commandId] = invocations.Select(i => new CommandInvocation
        {
            CommandId = commandId, InstanceId = i.InstanceId, Status = new CommandInvocationStatus(i.Status), StatusDetails = i.Status,
        }).ToList();
        return this;
    }

    /// <summary>Sets an instance's patch state.</summary>
    public SsmPatchFake PatchState(string id, int missing = 0, int failed = 0, int pendingReboot = 0, int critical = 0, int security = 0)
    {
        _states[id] = new InstancePatchState
        {
            InstanceId = id, MissingCount = missing, FailedCount = failed, InstalledPendingRebootCount = pendingReboot,
            CriticalNonCompliantCount = critical, SecurityNonCompliantCount = security,
        };
        return this;
    }

    /// <summary>Makes every call of one kind fail with an SSM error.</summary>
    public static AmazonSimpleSystemsManagementException Error(string code, HttpStatusCode status) =>
        new("failed: " + code) { ErrorCode = code, StatusCode = status };

    private SsmPatchFake Node(string ping, string[] ids)
    {
        foreach (var id in ids) _nodes[id] = (ping, "Amazon Linux", "2023");
        return this;
    }
}
