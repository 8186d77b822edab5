using SecurityAlexa.Accounts;
using SecurityAlexa.Alexa;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Aws;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa;

/// <summary>
/// The composition root: built once per container, outside the per-request path, with no
/// container scanning. Everything below it is constructed explicitly.
/// </summary>
internal sealed class SkillHost
{
    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    }) { Timeout = TimeSpan.FromSeconds(5) });

    private SkillHost(SkillConfig config, SkillServices services, InvocationDispatcher dispatcher, SkillLog log, TimeProvider time)
    {
        Config = config;
        Services = services;
        Dispatcher = dispatcher;
        Log = log;
        Time = time;
    }

    /// <summary>Read once per container, from the environment in Lambda.</summary>
    public SkillConfig Config { get; }

    /// <summary>What the modules were built over: AWS, the sandbox, or a test's fakes.</summary>
    public SkillServices Services { get; }

    /// <summary>Bytes in, bytes out.</summary>
    public InvocationDispatcher Dispatcher { get; }

    /// <summary>Shared by the pipeline, the dispatcher and the event handlers.</summary>
    public SkillLog Log { get; }

    /// <summary>The one clock every deadline and timestamp is read from (the sandbox's own, or a test's fake).</summary>
    public TimeProvider Time { get; }

    /// <summary>Builds a host from explicit parts: the one constructor tests, the runner and Lambda all use.</summary>
    public static SkillHost Create(
        SkillConfig config,
        SkillServices services,
        ILogSink? sink = null,
        TimeProvider? time = null,
        Func<SkillRequest, IProgressiveResponse>? progress = null,
        SessionStore? store = null,
        IReadOnlyList<IRequestHandler>? extraHandlers = null,
        ScopedServices? scoped = null)
    {
        time ??= TimeProvider.System;
        var log = new SkillLog(sink ?? new ConsoleLogSink(), time);
        if (store is null)
        {
            store = SessionStore.FromConfig(config, out var keyProblem);
            // Each container would sign with its own key, so a conversation that moves container loses its state.
            if (keyProblem is not null) log.Warn("config.session-signing-key", ("problem", keyProblem),
                ("effect", "random key for this container"));
        }
        if (config.SkillId is null && config.RequireSkillId) log.Error("config.skill-id", ("problem", "missing"),
            ("effect", "every request is refused"));
        var accounts = AccountSettings.From(config);
        foreach (var problem in accounts.Problems) log.Warn("config.accounts", ("problem", problem));
        // Several accounts or regions: home's records and units name home, and other scopes' modules are built on first use.
        ScopedModules? scopedModules = null;
        var multi = accounts.IsMulti && scoped is not null;
        var modules = SkillModules.From(services, config, log, time, out var homeTargets, multi ? accounts.HomeScope : null,
            multi ? (account, region) => scopedModules?.IsolationIn(account, region) : null);
        var routed = SkillRouting.Handlers(modules);
        scopedModules = multi
            ? new ScopedModules(scoped!, config, log, time, accounts.HomeScope, routed, homeTargets, modules, accounts)
            : null;
        var scopes = scopedModules is null ? null : new AccountTurns(accounts, scopedModules.HandlersIn, scopedModules.TargetsIn);
        // Extra handlers (tests, tools) are routed before the modules' handlers.
        IReadOnlyList<IRequestHandler> handlers = extraHandlers is { Count: > 0 } ? [.. extraHandlers, .. routed] : routed;
        var pipeline = new SkillPipeline(
            config,
            SpeechCatalog.Embedded,
            handlers,
            [.. modules.SelectMany(m => m.Guards)],
            store,
            log,
            time,
            progress ?? (request => AlexaProgressiveResponse.For(SharedHttp.Value, request)),
            [.. modules.SelectMany(m => m.EnvelopeGuards)],
            scopes);
        var queue = WorkQueueAddress.From(services.WorkQueueUrl);
        var dispatcher = new InvocationDispatcher(pipeline, [.. modules.SelectMany(m => m.EventHandlers)], log,
            new WorkConsumer([.. modules.SelectMany(m => m.WorkHandlers)], queue, config, log, time,
                scopedModules is null ? null : scopedModules.WorkHandlersIn),
            new ScheduleRunner([.. modules.SelectMany(m => m.ScheduledJobs)], queue, config, log, time));
        return new SkillHost(config, services, dispatcher, log, time);
    }

    /// <summary>The host Lambda uses: configuration from the environment, real AWS, skill id required.</summary>
    public static SkillHost ForLambda()
    {
        var config = SkillConfig.FromEnvironment(SkillConfig.ProcessEnvironment(), requireSkillId: true);
        var home = AwsServices.Create(config);
        return Create(config, home, scoped: AwsServices.Scoped(config, home));
    }

    /// <summary>A host over the built-in sandbox account, for the local runner and demos.</summary>
    public static SkillHost ForSandbox(SkillConfig config, ILogSink? sink = null, TimeProvider? time = null,
        Func<SkillRequest, IProgressiveResponse>? progress = null)
    {
        var account = SandboxAccount.CreateDefault(time ?? TimeProvider.System);
        return Create(config, account.Services(), sink, account.Clock, progress, scoped: account.Scoped());
    }
}
