using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SecurityAlexa.Notifications;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>Reads the chat webhook URL from a Parameter Store SecureString (GetParameter WithDecryption).</summary>
internal sealed class SsmWebhookUrlSource(Func<IAmazonSimpleSystemsManagement> ssm, string parameterName) : IWebhookUrlSource
{
    public SsmWebhookUrlSource(IAmazonSimpleSystemsManagement ssm, string parameterName) : this(() => ssm, parameterName) { }

    /// <summary>The parameter's name.</summary>
    public string ParameterName { get; } = parameterName;

    /// <inheritdoc />
    public async Task<string?> GetUrlAsync(CancellationToken cancellationToken)
    {
        var request = new GetParameterRequest { Name = ParameterName, WithDecryption = true };
        var response = await AwsCall.RunAsync(AwsOperations.SsmGetParameter, ct => ssm().GetParameterAsync(request, ct), cancellationToken)
            .ConfigureAwait(false);
        return response.Parameter?.Value;
    }
}
