namespace SecurityAlexa.Isolation.Containment;

/// <summary>An instance's EBS volumes and instance profile (EC2).</summary>
internal interface IInstanceStorage
{
    /// <summary>The instance's EBS volumes with their DeleteOnTermination flags, and its instance profile.</summary>
    Task<InstanceStorage> DescribeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Sets DeleteOnTermination for the given devices, in one call.</summary>
    Task SetDeleteOnTerminationAsync(string instanceId, IReadOnlyList<VolumeSetting> volumes, CancellationToken cancellationToken);
}

/// <summary>
/// What <see cref="IInstanceStorage.DescribeAsync"/> found; <paramref name="InstanceProfileArn"/> is null without a profile.
/// </summary>
internal sealed record InstanceStorage(IReadOnlyList<VolumeSetting> Volumes, string? InstanceProfileArn);

/// <summary>One EBS volume attached at a device, and whether it is deleted with the instance.</summary>
internal sealed record VolumeSetting(string DeviceName, string? VolumeId, bool DeleteOnTermination);
