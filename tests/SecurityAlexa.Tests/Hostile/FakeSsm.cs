using System.Net;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Moq;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// A strict Moq of IAmazonSimpleSystemsManagement whose GetParameter behaves like Parameter Store (the
/// security code's SecureString). Nothing in the function writes parameters any more: PutParameter and
/// DeleteParameter have no setup, so a call to either throws. One instance shared by several hosts plays
/// the Parameter Store every Lambda container sees.
/// </summary>
public sealed class FakeSsm
{
    private readonly Dictionary<string, (string Value, string Type, DateTimeOffset? Expires)> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Exception>> _faults = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private int _requestCounter;

    public FakeSsm(TimeProvider time)
    {
        _time = time;
        Mock.Setup(s => s.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .Returns((GetParameterRequest r, CancellationToken ct) => Run("GetParameter", r.Name, () => Get(r), ct));
    }

    public Mock<IAmazonSimpleSystemsManagement> Mock { get; } = new(MockBehavior.Strict);

    /// <summary>The stack's KMS key the code's hash is encrypted under; shared with this Parameter Store by every container.</summary>
    public FakeKms Kms { get; } = new();

    /// <summary>The patching calls set up on the same mock (by the first harness that used this Parameter Store).</summary>
    public Patching.SsmPatchFake? Patching { get; set; }

    /// <summary>The live parameters, by name.</summary>
    public IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                return _parameters.Where(kv => kv.Value.Expires is null || kv.Value.Expires > now).ToDictionary(kv => kv.Key, kv => kv.Value.Value);
            }
        }
    }

    /// <summary>Seeds a SecureString parameter (the security code hash).</summary>
    public void SetSecure(string name, string value)
    {
        lock (_gate) _parameters[name] = (value, "SecureString", null);
    }

    /// <summary>
    /// The next call of this SSM operation ("GetParameter") throws;
    /// with a name prefix, only the next call for a parameter under it.
    /// </summary>
    public void FailNext(string operation, Exception fault, string? namePrefix = null)
    {
        lock (_gate)
        {
            var key = operation + "|" + (namePrefix ?? "");
            if (!_faults.TryGetValue(key, out var queue)) _faults[key] = queue = new Queue<Exception>();
            queue.Enqueue(fault);
        }
    }

    /// <summary>The next call of this operation never answers until its cancellation token fires (a hung connection).</summary>
    public void HangNext(string operation, string? namePrefix = null) => FailNext(operation, new HangFault(), namePrefix);

    /// <summary>Completes when a hung call has started.</summary>
    public TaskCompletionSource Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>An SSM service error as the SDK raises it.</summary>
    public static AmazonSimpleSystemsManagementException ServiceError(string code, HttpStatusCode status) =>
        new($"{code} (test)", status >= HttpStatusCode.InternalServerError ? ErrorType.Receiver : ErrorType.Sender, code, "ssm-fault-" + code, status);

    private Task<T> Run<T>(string operation, string name, Func<T> call, CancellationToken ct)
    {
        lock (_gate)
        {
            var queue = _faults.Where(kv => kv.Key.StartsWith(operation + "|", StringComparison.Ordinal) && name.StartsWith(kv.Key[(operation.Length + 1)..], StringComparison.Ordinal)
                    && kv.Value.Count > 0)
                .OrderByDescending(kv => kv.Key.Length).Select(kv => kv.Value).FirstOrDefault();
            if (queue is not null)
            {
                var fault = queue.Dequeue();
                if (fault is not HangFault) throw fault;
                var never = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                ct.Register(() => never.TrySetCanceled(ct));
                Hung.TrySetResult();
                return never.Task;
            }
        }
        return Task.FromResult(call());
    }

    private sealed class HangFault : Exception;

    private GetParameterResponse Get(GetParameterRequest request)
    {
        lock (_gate)
        {
            if (!TryLive(request.Name, out var p)) throw new ParameterNotFoundException("Parameter not found (test)");
            if (p.Type == "SecureString" && request.WithDecryption != true)
                return Response(new GetParameterResponse { Parameter = new Parameter { Name = request.Name, Value = "ENCRYPTED", Type = ParameterType.SecureString } });
            return Response(new GetParameterResponse { Parameter = new Parameter { Name = request.Name, Value = p.Value, Type = p.Type } });
        }
    }

    private bool TryLive(string name, out (string Value, string Type, DateTimeOffset? Expires) parameter) =>
        _parameters.TryGetValue(name, out parameter) && (parameter.Expires is null || parameter.Expires > _time.GetUtcNow());

    private T Response<T>(T response) where T : AmazonWebServiceResponse
    {
        response.ResponseMetadata = new ResponseMetadata { RequestId = $"ssm-{Interlocked.Increment(ref _requestCounter):D4}" };
        return response;
    }
}
