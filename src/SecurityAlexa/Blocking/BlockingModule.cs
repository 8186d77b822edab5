using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.State;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Blocking;

/// <summary>
/// "Who is hitting web-1" (needs flow logs and the traffic query), and "block" / "unblock" an address in the subnet's
/// network ACL (need the ACL port and the state table, where every entry the skill adds is recorded).
/// </summary>
internal sealed class BlockingModule : SkillModule
{
    /// <summary>The module over its ports; any of them may be missing.</summary>
    public BlockingModule(SkillConfig config, ITargetResolver? targets, IIsolationAccount? account, IFlowLogs? flowLogs,
        ITrafficSources? sources, INetworkAcls? acls, IStateTable? state)
    {
        if (targets is null) return;
        var options = BlockingOptions.From(config);
        var isolation = IsolationOptions.From(config);
        var handlers = new List<IRequestHandler>();
        if (account is not null && flowLogs is not null && sources is not null)
            handlers.Add(new WhoIsHittingHandler(targets, account, flowLogs, sources, options, isolation.FlowLogWait,
                isolation.FlowLogPoll));
        if (acls is not null && state is not null)
        {
            var ledger = new BlockLedger(state);
            handlers.Add(new BlockHandler(targets, acls, ledger, options));
            handlers.Add(new UnblockHandler(targets, acls, ledger));
        }
        Handlers = handlers;
    }

    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [BlockingSession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "Blocking";
}
