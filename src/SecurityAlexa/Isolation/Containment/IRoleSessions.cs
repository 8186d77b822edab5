namespace SecurityAlexa.Isolation.Containment;

/// <summary>IAM, as role-session revocation needs it.</summary>
internal interface IRoleSessions
{
    /// <summary>The roles of an instance profile (by name).</summary>
    Task<IReadOnlyList<string>> RolesOfProfileAsync(string profileName, CancellationToken cancellationToken);

    /// <summary>Puts the inline policy that denies everything to sessions issued before <paramref name="before"/>.</summary>
    Task DenySessionsIssuedBeforeAsync(string roleName, string policyName, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes the inline policy; one that is already gone is not an error.</summary>
    Task RemovePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken);
}
