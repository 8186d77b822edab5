using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SecurityAlexa.Security;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>
/// <see cref="IParameterStore"/> over SSM Parameter Store: reads only (GetParameter).
/// </summary>
internal sealed class SsmParameterStore(Func<IAmazonSimpleSystemsManagement> ssm) : IParameterStore
{
    /// <inheritdoc />
    public async Task<string?> GetAsync(string name, bool decrypt, CancellationToken cancellationToken)
    {
        // Calls return the SDK response so that AwsCall can put its request id in the audit trail.
        var response = await AwsCall.RunAsync<GetParameterResponse?>(AwsOperations.SsmGetParameter, async ct =>
        {
            try
            {
                return await ssm().GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = decrypt }, ct)
                    .ConfigureAwait(false);
            }
            catch (ParameterNotFoundException)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
        return response?.Parameter?.Value;
    }
}
