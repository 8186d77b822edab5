using System.Collections.Concurrent;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using SecurityAlexa.Accounts;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Aws;

/// <summary>
/// Assumes the member role (arn:&lt;partition&gt;:iam::&lt;account&gt;:role/MEMBER_ROLE_NAME, with MEMBER_EXTERNAL_ID) for
/// one speaker, and keeps the credentials per account and speaker until shortly before they expire. The session
/// name and source identity carry the speaker's hash, so the member account's CloudTrail shows who spoke.
/// </summary>
internal sealed class MemberCredentialCache
{
    /// <summary>How long a member session lasts: the shortest STS allows, so a leaked key is soon worthless.</summary>
    public static readonly TimeSpan SessionDuration = TimeSpan.FromMinutes(15);

    /// <summary>Credentials are assumed afresh this long before they expire, so no call is signed with a dying key.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(2);

    /// <summary>The session name and source identity of work no one spoke: tag events, the queue, the sweeper.</summary>
    public const string SystemIdentity = "securityalexa-system";

    // Far more than accounts times speakers in any team; past it the cache starts again rather than grow.
    private const int MaxEntries = 512;

    private readonly Func<IAmazonSecurityTokenService> _sts;
    private readonly string _roleName;
    private readonly string _externalId;
    private readonly string _partition;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Account, string Identity), Slot> _slots = new();

    /// <param name="sts">The STS client, built on first use (with the function's own credentials).</param>
    /// <param name="roleName">The member role's name (MEMBER_ROLE_NAME).</param>
    /// <param name="externalId">The external id the member role's trust policy requires (MEMBER_EXTERNAL_ID).</param>
    /// <param name="homeRegion">The function's region; it decides the partition of the role's ARN.</param>
    /// <param name="time">The clock that decides when credentials are stale.</param>
    public MemberCredentialCache(Func<IAmazonSecurityTokenService> sts, string roleName, string externalId, string homeRegion,
        TimeProvider time)
    {
        _sts = sts;
        _roleName = roleName;
        _externalId = externalId;
        _partition = AwsService.PartitionOf(homeRegion);
        _time = time;
    }

    /// <summary>
    /// The cache over a regional STS client built on first use; AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL) in the
    /// configuration points it elsewhere. Null when the settings enrol no member account.
    /// </summary>
    public static MemberCredentialCache? Create(SkillConfig config, AccountSettings settings, TimeProvider time,
        AWSCredentials? functionCredentials = null)
    {
        if (settings.ExternalId is not { } externalId || !settings.Accounts.Any(a => !a.IsHome)) return null;
        var sts = new Lazy<IAmazonSecurityTokenService>(() => StsClient(settings.HomeRegion, config.Environment, functionCredentials));
        return new MemberCredentialCache(() => sts.Value, settings.RoleName, externalId, settings.HomeRegion, time);
    }

    /// <summary>
    /// An STS client for the region: the regional endpoint, or AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL from the
    /// given settings. Null credentials mean the SDK's default chain (the function's role).
    /// </summary>
    public static IAmazonSecurityTokenService StsClient(string region, IReadOnlyDictionary<string, string> environment,
        AWSCredentials? credentials = null)
    {
        // The first signed call of a member turn waits on this: one retry at most, so a slow STS still leaves time to answer.
        var config = new AmazonSecurityTokenServiceConfig { Timeout = TimeSpan.FromSeconds(3), MaxErrorRetry = 1 };
        AwsClients.PointAt(config, region, environment, "STS");
        return credentials is null ? new AmazonSecurityTokenServiceClient(config)
            : new AmazonSecurityTokenServiceClient(credentials, config);
    }

    /// <summary>The member role's ARN in an account.</summary>
    public string RoleArn(string accountId) => $"arn:{_partition}:iam::{accountId}:role/{_roleName}";

    /// <summary>
    /// Credentials for an account and speaker that the SDK resolves on every signed request: the first request
    /// assumes the role, later ones reuse the session until shortly before it expires.
    /// </summary>
    public AWSCredentials For(string accountId, string? speakerHash) =>
        new MemberSessionCredentials(this, accountId, Identity(speakerHash));

    /// <summary>
    /// The session's keys: cached while fresh, otherwise assumed now. A refusal becomes an AwsCallException named
    /// sts:AssumeRole: AccountUnreachable when the role is missing or refuses, RegionNotEnabled when STS is off in
    /// the region, Throttled when STS is rate-limiting.
    /// </summary>
    public async Task<ImmutableCredentials> GetAsync(string accountId, string identity, CancellationToken cancellationToken)
    {
        if (_slots.Count >= MaxEntries) _slots.Clear();
        var slot = _slots.GetOrAdd((accountId, identity), static _ => new Slot());
        if (slot.Fresh(_time.GetUtcNow()) is { } ready) return ready;
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have assumed the role while this one waited.
            if (slot.Fresh(_time.GetUtcNow()) is { } assumed) return assumed;
            var started = _time.GetUtcNow();
            var response = await AssumeAsync(accountId, identity, cancellationToken).ConfigureAwait(false);
            var keys = response.Credentials ?? throw new AwsCallException(AwsOperations.StsAssumeRole, AwsFailure.AccountUnreachable,
                null, null, "AssumeRole answered without credentials.");
            var expires = keys.Expiration is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
                : started + SessionDuration;
            slot.Set(new ImmutableCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken), expires - RefreshMargin);
            return slot.Credentials!;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task<AssumeRoleResponse> AssumeAsync(string accountId, string identity, CancellationToken cancellationToken)
    {
        var request = new AssumeRoleRequest
        {
            RoleArn = RoleArn(accountId),
            ExternalId = _externalId,
            RoleSessionName = identity,
            SourceIdentity = identity,
            DurationSeconds = (int)SessionDuration.TotalSeconds,
        };
        try
        {
            return await AwsCall.RunAsync(AwsOperations.StsAssumeRole, ct => _sts().AssumeRoleAsync(request, ct), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AwsCallException e) when (Remap(e.ErrorCode, e.Failure) is { } failure && failure != e.Failure)
        {
            throw new AwsCallException(e.Operation, failure, e.ErrorCode, e.Status, $"{RoleArn(accountId)}: {e.Message}", e);
        }
    }

    // A role that is missing and one that refuses look the same from outside (AccessDenied): either way the account cannot be reached.
    private static AwsFailure? Remap(string? errorCode, AwsFailure failure) => errorCode switch
    {
        "RegionDisabledException" => AwsFailure.RegionNotEnabled,
        _ when failure == AwsFailure.AccessDenied => AwsFailure.AccountUnreachable,
        _ => null,
    };

    /// <summary>
    /// The session name and source identity for a speaker: "speaker-" and the hash, or <see cref="SystemIdentity"/>
    /// when no one spoke. STS allows 2 to 64 letters, digits and _+=,.@- in both, so anything else becomes _; the
    /// source identity may not begin with "aws:", which the colon's replacement rules out.
    /// </summary>
    public static string Identity(string? speakerHash)
    {
        if (string.IsNullOrWhiteSpace(speakerHash)) return SystemIdentity;
        var text = "speaker-" + speakerHash.Trim();
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || "_+=,.@-".Contains(c) ? c : '_').Take(64).ToArray();
        return new string(chars);
    }

    /// <summary>
    /// One account and speaker's session: its keys, when they stop being used, and a gate so one caller assumes at a time.
    /// </summary>
    private sealed class Slot
    {
        private volatile Tuple<ImmutableCredentials, DateTimeOffset>? _current;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ImmutableCredentials? Credentials => _current?.Item1;

        public ImmutableCredentials? Fresh(DateTimeOffset now) => _current is { } c && now < c.Item2 ? c.Item1 : null;

        public void Set(ImmutableCredentials credentials, DateTimeOffset useUntil) => _current = Tuple.Create(credentials, useUntil);
    }
}
