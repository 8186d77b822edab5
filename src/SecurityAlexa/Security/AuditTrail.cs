using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Security;

/// <summary>
/// What one request did, collected while it runs and written once by the pipeline as the audit record
/// (see <see cref="AuditLog"/>). As the request's <see cref="IAwsCallObserver"/>, it hears of every AWS call;
/// targets and the action come from <c>Confirmation</c>. Handlers may add what only they know.
/// </summary>
internal sealed class AuditTrail : IAwsCallObserver
{
    private readonly Lock _gate = new();
    private readonly List<string> _targets = [];
    private readonly List<AuditedCall> _calls = [];
    private readonly Dictionary<string, string> _notes = new(StringComparer.Ordinal);

    /// <summary>The kind of change (patch, isolate, ...), when one was read back or carried out.</summary>
    public string? Action { get; private set; }

    /// <summary>Which check refused the request, if one did.</summary>
    public string? RefusedBy { get; private set; }

    /// <summary>How the security code stood: verified, remembered, asked, wrong, locked, unavailable.</summary>
    public string? SecurityCode { get; private set; }

    /// <summary>Instance ids the request resolved to or acted on, without duplicates, in order.</summary>
    public IReadOnlyList<string> Targets { get { lock (_gate) return _targets.ToList(); } }

    /// <summary>The AWS calls made, in order.</summary>
    public IReadOnlyList<AuditedCall> Calls { get { lock (_gate) return _calls.ToList(); } }

    /// <summary>Capability-specific facts (a command id, a snapshot id).</summary>
    public IReadOnlyDictionary<string, string> Notes
    {
        get { lock (_gate) return new Dictionary<string, string>(_notes, StringComparer.Ordinal); }
    }

    /// <summary>Records the kind of change.</summary>
    public AuditTrail ForAction(string kind)
    {
        Action = kind;
        return this;
    }

    /// <summary>How many instances were meant: the ids recorded, or a set carried by its size and digest, whichever is more.</summary>
    public int TargetCount { get { lock (_gate) return Math.Max(_targets.Count, _setCount); } }

    /// <summary>The digest of a set too large to carry its ids (<c>InstanceSet.Digest</c>), when there was one.</summary>
    public string? TargetDigest { get; private set; }

    private int _setCount;

    /// <summary>Records a set carried by size and digest instead of ids, so the record still says exactly what was meant.</summary>
    public AuditTrail AddTargetSet(int count, string? digest)
    {
        lock (_gate) _setCount = Math.Max(_setCount, count);
        TargetDigest = digest ?? TargetDigest;
        return this;
    }

    /// <summary>Records resolved or acted-on instance ids.</summary>
    public AuditTrail AddTargets(IEnumerable<string> instanceIds)
    {
        lock (_gate)
        {
            foreach (var id in instanceIds)
            {
                if (!_targets.Contains(id, StringComparer.Ordinal)) _targets.Add(id);
            }
        }
        return this;
    }

    /// <inheritdoc />
    void IAwsCallObserver.Called(string operation, string? awsRequestId, string? error) => AddCall(operation, awsRequestId, error);

    /// <summary>Records an AWS call.</summary>
    public AuditTrail AddCall(string operation, string? awsRequestId, string? error = null)
    {
        lock (_gate) _calls.Add(new AuditedCall(operation, awsRequestId, error));
        return this;
    }

    /// <summary>Records a fact only the handler knows. Never pass secrets or raw user ids.</summary>
    public AuditTrail Note(string key, string value)
    {
        lock (_gate) _notes[key] = value;
        return this;
    }

    /// <summary>Records which check refused the request.</summary>
    public AuditTrail Refused(string by)
    {
        RefusedBy = by;
        return this;
    }

    /// <summary>Records how the security code stood.</summary>
    public AuditTrail Code(string status)
    {
        SecurityCode = status;
        return this;
    }
}
