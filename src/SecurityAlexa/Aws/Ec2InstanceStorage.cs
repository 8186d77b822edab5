using Amazon.EC2;
using Amazon.EC2.Model;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Aws;

/// <summary>An instance's EBS volumes and instance profile over the EC2 SDK.</summary>
internal sealed class Ec2InstanceStorage(Func<IAmazonEC2> ec2) : IInstanceStorage
{
    /// <inheritdoc />
    public async Task<InstanceStorage> DescribeAsync(string instanceId, CancellationToken cancellationToken)
    {
        var request = new DescribeInstancesRequest { InstanceIds = [instanceId] };
        var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeInstances, ct => ec2().DescribeInstancesAsync(request, ct),
            cancellationToken).ConfigureAwait(false);
        var instance = (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault(i => i.InstanceId == instanceId);
        if (instance is null) return new InstanceStorage([], null);
        var volumes = (instance.BlockDeviceMappings ?? [])
            .Where(b => b.Ebs is not null && !string.IsNullOrEmpty(b.DeviceName))
            .Select(b => new VolumeSetting(b.DeviceName, b.Ebs.VolumeId, b.Ebs.DeleteOnTermination ?? false))
            .ToList();
        return new InstanceStorage(volumes, instance.IamInstanceProfile?.Arn);
    }

    /// <inheritdoc />
    public Task SetDeleteOnTerminationAsync(string instanceId, IReadOnlyList<VolumeSetting> volumes, CancellationToken cancellationToken)
    {
        var request = new ModifyInstanceAttributeRequest
        {
            InstanceId = instanceId,
            BlockDeviceMappings = [.. volumes.Select(v => new InstanceBlockDeviceMappingSpecification
            {
                DeviceName = v.DeviceName,
                Ebs = new EbsInstanceBlockDeviceSpecification { DeleteOnTermination = v.DeleteOnTermination, VolumeId = v.VolumeId },
            })],
        };
        return AwsCall.RunAsync(AwsOperations.Ec2ModifyInstanceAttribute, ct => ec2().ModifyInstanceAttributeAsync(request, ct),
            cancellationToken);
    }
}
