using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SecurityAlexa.Security;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>
/// <see cref="IParameterStore"/> over SSM Parameter Store. Expiring parameters are Advanced tier with an
/// Expiration policy, so lockouts and request records clean themselves up.
/// </summary>
internal sealed class SsmParameterStore(Func<IAmazonSimpleSystemsManagement> ssm) : IParameterStore
{
    // Stands for "the parameter was already there", so the call still returns an SDK response to audit.
    private static readonly PutParameterResponse AlreadyExists = new();

    /// <inheritdoc />
    public async Task<string?> GetAsync(string name, bool decrypt, CancellationToken cancellationToken)
    {
        // Calls return the SDK response so that AwsCall can put its request id in the audit trail.
        var response = await AwsCall.RunAsync<GetParameterResponse?>(AwsOperations.SsmGetParameter, async ct =>
        {
            try
            {
                return await ssm().GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = decrypt }, ct).ConfigureAwait(false);
            }
            catch (ParameterNotFoundException)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
        return response?.Parameter?.Value;
    }

    /// <inheritdoc />
    public Task PutAsync(string name, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(AwsOperations.SsmPutParameter, ct => ssm().PutParameterAsync(Request(name, value, expiresAt, overwrite: true), ct), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string name, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var response = await AwsCall.RunAsync(AwsOperations.SsmPutParameter, async ct =>
        {
            try
            {
                return await ssm().PutParameterAsync(Request(name, value, expiresAt, overwrite: false), ct).ConfigureAwait(false);
            }
            catch (ParameterAlreadyExistsException)
            {
                return AlreadyExists;
            }
        }, cancellationToken).ConfigureAwait(false);
        return !ReferenceEquals(response, AlreadyExists);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<DeleteParameterResponse?>(AwsOperations.SsmDeleteParameter, async ct =>
        {
            try
            {
                return await ssm().DeleteParameterAsync(new DeleteParameterRequest { Name = name }, ct).ConfigureAwait(false);
            }
            catch (ParameterNotFoundException)
            {
                return null;
            }
        }, cancellationToken);

    /// <summary>The Expiration policy document Parameter Store expects.</summary>
    public static string ExpirationPolicy(DateTimeOffset at) =>
        "[{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{\"Timestamp\":\""
        + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"}}]";

    private static PutParameterRequest Request(string name, string value, DateTimeOffset expiresAt, bool overwrite) => new()
    {
        Name = name,
        Value = value,
        Type = ParameterType.String,
        Overwrite = overwrite,
        // Policies need the Advanced tier; an Advanced parameter also cannot be downgraded by a later put.
        Tier = ParameterTier.Advanced,
        Policies = ExpirationPolicy(expiresAt),
    };
}
