using System.Globalization;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Aws;

/// <summary>IAM (Query protocol, 2010-05-08, global endpoint): the instance profile's role and the session-revoking policy.</summary>
internal sealed class IamClient(SignedJsonClient http) : IRoleSessions
{
    private readonly QueryClient _query = new(http, "2010-05-08");

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RolesOfProfileAsync(string profileName, CancellationToken cancellationToken)
    {
        var result = await _query.CallAsync(AwsOperations.IamGetInstanceProfile, "GetInstanceProfile",
            [("InstanceProfileName", profileName)], cancellationToken).ConfigureAwait(false);
        return QueryClient.Members(QueryClient.Child(result, "InstanceProfile"), "Roles")
            .Select(r => QueryClient.Text(r, "RoleName")).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
    }

    /// <inheritdoc />
    public Task DenySessionsIssuedBeforeAsync(string roleName, string policyName, DateTimeOffset before,
        CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.IamPutRolePolicy, "PutRolePolicy",
            [("RoleName", roleName), ("PolicyName", policyName), ("PolicyDocument", DenyBefore(before))], cancellationToken);

    /// <inheritdoc />
    public async Task RemovePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken)
    {
        try
        {
            await _query.CallAsync(AwsOperations.IamDeleteRolePolicy, "DeleteRolePolicy",
                [("RoleName", roleName), ("PolicyName", policyName)], cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e) when (e.ErrorCode == "NoSuchEntity")
        {
            // Already gone: what a release wants.
        }
    }

    /// <summary>Deny everything to credentials issued before the time (seconds, UTC): later ones keep working.</summary>
    public static string DenyBefore(DateTimeOffset before) =>
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
        + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\""
        + before.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "\"}}}]}";
}
