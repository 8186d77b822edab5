using System.Globalization;
using SecurityAlexa.Patching;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// Systems Manager's patching over the sandbox world: agents per instance (SsmPing), patch groups from
/// the Patch Group tag, three baselines, and commands whose invocations move along with sandbox time,
/// in waves of MaxConcurrency, each instance taking a couple of minutes.
/// </summary>
internal sealed class SandboxPatchManager(SandboxWorld world, TimeProvider clock) : IPatchManager
{
    /// <summary>How long one instance takes to patch.</summary>
    public static readonly TimeSpan PerInstance = TimeSpan.FromMinutes(2);

    /// <summary>The default baseline for Amazon Linux 2023.</summary>
    public const string DefaultAmazonLinuxBaseline = "pb-0a1b2c3d4e5f6a7b8";

    private static readonly PatchGroupBaseline[] Registered =
    [
        new("prod-linux", "pb-0c0ffee00000prod1", "prod-linux", "AMAZON_LINUX_2023"),
        new("staging-linux", "pb-0c0ffee0000stage2", "staging-linux", "AMAZON_LINUX_2023"),
    ];

    // Patches each instance lacks before it is patched: missing, of which critical, of which security.
    private static readonly Dictionary<string, (int Missing, int Critical, int Security)> Backlog = new(StringComparer.Ordinal)
    {
        ["web-1"] = (4, 1, 3), ["web-2"] = (2, 0, 1), ["db-1"] = (6, 2, 4),
        ["web-3"] = (1, 0, 1), ["api-1"] = (3, 1, 2), ["dev-1"] = (5, 0, 2), ["dev-2"] = (2, 0, 0),
    };

    private readonly List<SandboxCommand> _commands = [];
    private readonly Lock _gate = new();
    private int _sequence;

    /// <summary>The commands sent so far, oldest first (for tests and the chat).</summary>
    public IReadOnlyList<PatchCommandRequest> Sent { get { lock (_gate) return _commands.Select(c => c.Request).ToList(); } }

    /// <inheritdoc />
    public Task<IReadOnlyList<ManagedNode>> DescribeManagedNodesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        // Like SSM, stopped instances and instances without an agent are not listed.
        IReadOnlyList<ManagedNode> nodes = world.Locked(w => instanceIds
            .Select(w.Find).OfType<SandboxInstance>()
            .Where(i => i.SsmPing is not null && i.State == "running")
            .Select(ToNode)
            .ToList());
        return Task.FromResult(nodes);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ManagedNode>> SampleManagedNodesByTagAsync(string tagKey, IReadOnlyList<string> tagValues, int max,
        CancellationToken cancellationToken)
    {
        // Like SSM's tag filter: managed instances carrying the tag, agent answering or not, one page.
        IReadOnlyList<ManagedNode> nodes = world.Locked(w => w.Instances
            .Where(i => i.SsmPing is not null && i.Tags.TryGetValue(tagKey, out var v) && tagValues.Contains(v, StringComparer.Ordinal))
            .Take(Math.Clamp(max, 5, 50))
            .Select(ToNode)
            .ToList());
        return Task.FromResult(nodes);
    }

    /// <inheritdoc />
    public Task<(IReadOnlyList<string> NodeIds, bool More)> ListNonEc2NodesAsync(int max, CancellationToken cancellationToken) =>
        // The sandbox account has no managed nodes outside EC2.
        Task.FromResult<(IReadOnlyList<string>, bool)>(([], false));

    /// <inheritdoc />
    public Task<IReadOnlyList<(string Key, string Value)>> NonEc2NodeTagsAsync(string nodeId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string Key, string Value)>>([]);

    /// <inheritdoc />
    public Task<IReadOnlyList<PatchGroupBaseline>> ListPatchGroupBaselinesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PatchGroupBaseline>>(Registered);

    /// <inheritdoc />
    public Task<string?> GetDefaultBaselineAsync(string operatingSystem, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(operatingSystem == "AMAZON_LINUX_2023" ? DefaultAmazonLinuxBaseline : "pb-0default"
            + operatingSystem.ToLowerInvariant().Replace("_", "", StringComparison.Ordinal));

    /// <inheritdoc />
    public Task<string> SendPatchCommandAsync(PatchCommandRequest request, CancellationToken cancellationToken)
    {
        // Tag targets reach every managed instance with the tag; id targets reach the listed ones.
        var targets = world.Locked(w => (request.Target.IsTag
                ? w.Instances.Where(i => i.Tags.TryGetValue(request.Target.TagKey!, out var v) && request.Target.TagValues.Contains(v))
                : request.Target.InstanceIds.Select(w.Find).OfType<SandboxInstance>())
            .Where(i => i.SsmPing is not null)
            .Select(i => (i.Id, Name: i.Tags.GetValueOrDefault("Name") ?? i.Id, Reachable: i.SsmPing == "Online" && i.State == "running"))
            .ToList());
        lock (_gate)
        {
            // Shaped like an SSM command id, and repeatable from run to run.
            var id = string.Create(CultureInfo.InvariantCulture, $"5a4d0000-0000-4000-8000-{++_sequence:D12}");
            _commands.Add(new SandboxCommand(id, request, clock.GetUtcNow(), targets));
            return Task.FromResult(id);
        }
    }

    /// <inheritdoc />
    public Task<PatchCommand?> GetCommandAsync(string commandId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_commands.FirstOrDefault(c => c.Id == commandId) is { } c ? ToCommand(c) : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PatchCommand>> ListRecentPatchCommandsAsync(DateTimeOffset since, int limit,
        CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<PatchCommand> list = _commands.Where(c => c.RequestedAt >= since)
                .OrderByDescending(c => c.RequestedAt).Take(limit).Select(ToCommand).ToList();
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PatchInvocation>> ListInvocationsAsync(string commandId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<PatchInvocation> list = _commands.FirstOrDefault(c => c.Id == commandId) is { } c ? Invocations(c) : [];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InstancePatchState>> DescribePatchStatesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        var names = world.Locked(w => instanceIds.Select(w.Find).OfType<SandboxInstance>()
            .Where(i => i.SsmPing is not null)
            .ToDictionary(i => i.Id, i => i.Tags.GetValueOrDefault("Name") ?? i.Id, StringComparer.Ordinal));
        lock (_gate)
        {
            var states = new List<InstancePatchState>();
            foreach (var (id, name) in names)
            {
                var backlog = Backlog.GetValueOrDefault(name);
                var patched = _commands.Where(c => c.Request.Operation == "Install")
                    .SelectMany(c => Invocations(c).Select(inv => (Command: c, Invocation: inv)))
                    .Where(x => x.Invocation.InstanceId == id && x.Invocation.Status == "Success")
                    .Select(x => x.Command).LastOrDefault();
                if (patched is null)
                {
                    states.Add(new InstancePatchState(id, backlog.Missing, 0, 0, backlog.Critical, backlog.Security, null));
                    continue;
                }
                // Without a reboot, kernel updates wait for one.
                var pendingReboot = patched.Request.RebootOption == "NoReboot" ? Math.Min(1, backlog.Missing) : 0;
                states.Add(new InstancePatchState(id, 0, 0, pendingReboot, 0, 0, EndOf(patched, id)));
            }
            return Task.FromResult<IReadOnlyList<InstancePatchState>>(states);
        }
    }

    private List<PatchInvocation> Invocations(SandboxCommand command)
    {
        var now = clock.GetUtcNow();
        var wave = WaveSize(command);
        var result = new List<PatchInvocation>();
        for (var i = 0; i < command.Targets.Count; i++)
        {
            var target = command.Targets[i];
            var start = command.RequestedAt + PerInstance * (i / wave);
            var (status, details) = !target.Reachable
                ? now >= command.RequestedAt + PerInstance ? ("Failed", "Undeliverable") : ("Pending", "Pending")
                : now < start ? ("Pending", "Pending")
                : now < start + PerInstance ? ("InProgress", "InProgress")
                : ("Success", "Success");
            result.Add(new PatchInvocation(target.Id, status, details));
        }
        return result;
    }

    private DateTimeOffset? EndOf(SandboxCommand command, string instanceId)
    {
        var index = command.Targets.FindIndex(t => t.Id == instanceId);
        return index < 0 ? null : command.RequestedAt + PerInstance * (index / WaveSize(command) + 1);
    }

    private PatchCommand ToCommand(SandboxCommand command)
    {
        var invocations = Invocations(command);
        var done = invocations.Count(i => i.Status is "Success" or "Failed");
        var errors = invocations.Count(i => i.Status == "Failed");
        var status = done < invocations.Count ? (invocations.Any(i => i.Status != "Pending") ? "InProgress" : "Pending")
            : errors > 0 ? "Failed" : "Success";
        return new PatchCommand(command.Id, command.Request.Comment, status, command.RequestedAt, invocations.Count, done, errors);
    }

    // How many instances patch at once: MaxConcurrency as a number, or a percentage of the targets (at least one).
    private static int WaveSize(SandboxCommand command)
    {
        var value = command.Request.MaxConcurrency;
        var n = command.Targets.Count;
        if (value.EndsWith('%') && int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            return Math.Max(1, (int)Math.Ceiling(n * percent / 100.0));
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? Math.Max(1, count) : 1;
    }

    private static ManagedNode ToNode(SandboxInstance i)
    {
        // "Amazon Linux 2023" -> platform "Amazon Linux", version "2023", as SSM reports it.
        var space = i.OsName.LastIndexOf(' ');
        var (name, version) = space > 0 && char.IsDigit(i.OsName[space + 1]) ? (i.OsName[..space], i.OsName[(space + 1)..])
            : (i.OsName, "");
        return new ManagedNode(i.Id, i.SsmPing, name, version,
            i.Platform.StartsWith("Windows", StringComparison.OrdinalIgnoreCase) ? "Windows" : "Linux");
    }

    private sealed record SandboxCommand(string Id, PatchCommandRequest Request, DateTimeOffset RequestedAt,
        List<(string Id, string Name, bool Reachable)> Targets);
}
