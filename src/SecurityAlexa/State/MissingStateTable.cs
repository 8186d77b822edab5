using SecurityAlexa.AwsContract;

namespace SecurityAlexa.State;

/// <summary>
/// The state table when STATE_TABLE is not set in AWS: every call fails, so that a mutating action fails closed (nothing
/// changes and the user hears why) instead of keeping claims, lockouts and isolation records in one container's memory.
/// The failure is <see cref="AwsFailure.NotConfigured"/>, not a refusal by AWS: no request leaves the function.
/// </summary>
internal sealed class MissingStateTable : IStateTable
{
    /// <summary>The error code of every failure.</summary>
    public const string ErrorCode = "StateTableNotConfigured";

    /// <inheritdoc />
    public Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromException<StateItem?>(Missing(AwsOperations.DynamoGetItem));

    /// <inheritdoc />
    public Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromException<bool>(Missing(AwsOperations.DynamoPutItem));

    /// <inheritdoc />
    public Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
        CancellationToken cancellationToken) => Task.FromException<StateItem?>(Missing(AwsOperations.DynamoUpdateItem));

    /// <inheritdoc />
    public Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
        CancellationToken cancellationToken) => Task.FromException<StateScan>(Missing(AwsOperations.DynamoScan));

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Task.FromException(Missing(AwsOperations.DynamoDeleteItem));

    private static AwsCallException Missing(string operation) =>
        new(operation, AwsFailure.NotConfigured, ErrorCode, null, "STATE_TABLE is not set, so there is no state table.");
}
