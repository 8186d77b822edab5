using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Alexa;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Support;

/// <summary>
/// Sends whole Alexa requests through the real entry point (<see cref="Function.HandleAsync"/>) and
/// carries session attributes between turns, as Alexa does.
/// </summary>
internal sealed class SkillDriver
{
    private JsonObject? _attributes;
    private bool _inSession;

    public SkillDriver(SkillServices? services = null, Func<SkillConfig, SkillConfig>? configure = null,
        TimeProvider? time = null, IReadOnlyDictionary<string, string>? environment = null, SessionStore? store = null,
        IReadOnlyList<IRequestHandler>? extraHandlers = null, MemoryLogSink? log = null, ScopedServices? scoped = null)
    {
        var env = new Dictionary<string, string> { ["SKILL_ID"] = AlexaRequests.SkillId };
        if (environment is not null) foreach (var (k, v) in environment) env[k] = v;
        // The test speaker may make changes unless a test configures the allow-list itself.
        env.TryAdd("ALLOWED_SPEAKERS", IdentityHash.Of(AlexaRequests.PersonId, env.GetValueOrDefault("ID_HASH_SALT") ?? "")!);
        // The test account is served unless a test configures the account list itself (in Lambda none is served without one).
        env.TryAdd("ALLOWED_USERS", IdentityHash.Of(AlexaRequests.UserId, env.GetValueOrDefault("ID_HASH_SALT") ?? "")!);
        var config = SkillConfig.FromEnvironment(env);
        if (configure is not null) config = configure(config);
        Time = time ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        Log = log ?? new MemoryLogSink();
        Progress = new RecordingProgressiveResponse();
        Host = SkillHost.Create(config, services ?? new SkillServices(), Log, Time, _ => Progress,
            store ?? new SessionStore(Encoding.UTF8.GetBytes("test-session-signing-key-0123456789")), extraHandlers, scoped);
        Function = new Function(Host);
    }

    public SkillHost Host { get; }

    public Function Function { get; }

    public TimeProvider Time { get; }

    public MemoryLogSink Log { get; }

    public RecordingProgressiveResponse Progress { get; }

    /// <summary>The en-US phrases, for comparing speech with the catalogue.</summary>
    public SecurityAlexa.Skill.Speech.Lang Lang => Host.Dispatcher.Pipeline.Speech.For("en-US");

    /// <summary>The log lines parsed as JSON objects.</summary>
    public IReadOnlyList<JsonObject> LogRecords => Log.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>The log records of one kind.</summary>
    public IReadOnlyList<JsonObject> LogsOf(string kind) => LogRecords.Where(r => (string?)r["kind"] == kind).ToList();

    /// <summary>
    /// When set, requests go to the dispatcher with this Lambda deadline (as the runtime loop passes it)
    /// instead of through Function.HandleAsync, which knows none.
    /// </summary>
    public DateTimeOffset? LambdaDeadline { get; set; }

    /// <summary>Sends raw bytes through Function.HandleAsync and reads the reply.</summary>
    public async Task<string> SendRawAsync(string payload)
    {
        if (LambdaDeadline is { } deadline)
        {
            var bytes = await Host.Dispatcher.InvokeAsync(Encoding.UTF8.GetBytes(payload), new InvocationInfo("lambda-request", deadline));
            ResponseCapture.Save(payload, Encoding.UTF8.GetString(bytes));
            return Encoding.UTF8.GetString(bytes);
        }
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(payload));
        await using var output = await Function.HandleAsync(input);
        using var reader = new StreamReader(output, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        ResponseCapture.Save(payload, response);
        return response;
    }

    /// <summary>Sends raw bytes (for byte-level cases such as a byte order mark) and reads the reply.</summary>
    public async Task<string> SendBytesAsync(byte[] payload)
    {
        using var input = new MemoryStream(payload);
        await using var output = await Function.HandleAsync(input);
        using var reader = new StreamReader(output, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Sends one request, without session carry-over; it is stamped with the driver's clock unless the test set a timestamp.</summary>
    public async Task<AlexaReply> SendAsync(AlexaRequests request) => new(await SendRawAsync(request.StampIfUnset(Time.GetUtcNow()).Json));

    /// <summary>Sends one turn of a conversation, carrying the session attributes from the previous turn.</summary>
    public async Task<AlexaReply> SayAsync(AlexaRequests request)
    {
        if (_inSession) request.InSession(_attributes);
        var reply = await SendAsync(request);
        _attributes = reply.SessionAttributes;
        _inSession = reply.EndsSession != true;
        return reply;
    }

    /// <summary>Starts a new conversation.</summary>
    public void EndSession()
    {
        _attributes = null;
        _inSession = false;
    }

    /// <summary>The session attributes the skill returned last.</summary>
    public JsonObject? Attributes => _attributes;
}

/// <summary>Records progressive responses instead of posting them.</summary>
internal sealed class RecordingProgressiveResponse : IProgressiveResponse
{
    public List<string> Spoken { get; } = [];

    public Task<bool> SayAsync(string text, CancellationToken cancellationToken)
    {
        lock (Spoken) Spoken.Add(text);
        return Task.FromResult(true);
    }
}
