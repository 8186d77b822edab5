namespace SecurityAlexa.AwsContract;

/// <summary>Told of every AWS call an adapter makes, with its AWS request id; the audit record is one.</summary>
internal interface IAwsCallObserver
{
    /// <summary>A call finished; <paramref name="error"/> is its error code or failure kind when it failed.</summary>
    void Called(string operation, string? awsRequestId, string? error);
}
