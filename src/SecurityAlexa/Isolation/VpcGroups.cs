using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>A VPC's isolation and allow-all groups, or why they cannot be used.</summary>
internal sealed record VpcGroups(string VpcId, string? IsolationId, string? AllowAllId, AwsCallException? Error = null,
    string? UnsafeGroupId = null)
{
    public bool IsReady => IsolationId is not null && AllowAllId is not null && Error is null && UnsafeGroupId is null;

    public bool IsSkillGroup(string groupId) => groupId == IsolationId || groupId == AllowAllId;
}
