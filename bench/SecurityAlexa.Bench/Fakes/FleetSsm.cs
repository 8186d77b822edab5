using System.Collections.Concurrent;
using System.Net;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Moq;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>
/// A counting <see cref="IAmazonSimpleSystemsManagement"/> over a <see cref="FakeFleet"/> (Moq, strict): every instance's agent
/// online on Amazon Linux 2023, the prod-linux patch group registered, SendCommand accepted, and Parameter Store reads. Each call is counted and optionally delayed.
/// </summary>
internal sealed class FleetSsm
{
    private readonly ConcurrentDictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private int _commands;

    public FleetSsm(FakeFleet fleet, CallCounter counter, TimeSpan latency)
    {
        Counter = counter;
        Latency = latency;
        Mock.Setup(m => m.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (GetParameterRequest r, CancellationToken ct) =>
            {
                await CallAsync("ssm:GetParameter", ct).ConfigureAwait(false);
                return _parameters.TryGetValue(r.Name, out var v)
                    ? new GetParameterResponse { Parameter = new Parameter { Name = r.Name, Value = v } }
                    : throw new ParameterNotFoundException("none") { ErrorCode = "ParameterNotFound", StatusCode = HttpStatusCode.BadRequest };
            });
        Mock.Setup(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (DescribeInstanceInformationRequest r, CancellationToken ct) =>
            {
                await CallAsync("ssm:DescribeInstanceInformation", ct).ConfigureAwait(false);
                var ids = r.Filters?.FirstOrDefault(f => f.Key == "InstanceIds")?.Values ?? [];
                var known = ids.Where(fleet.ById.ContainsKey).ToList();
                // SSM's tag filter (tag:Key): every managed instance carrying the tag, paged.
                if (r.Filters?.FirstOrDefault(f => f.Key.StartsWith("tag:", StringComparison.Ordinal)) is { } byTag)
                    known = fleet.Instances.Where(i => i.Tags.TryGetValue(byTag.Key[4..], out var v) && byTag.Values.Contains(v)).Select(i => i.Id).ToList();
                var (items, next) = FakeFleet.Slice(known, r.NextToken, Math.Min(r.MaxResults ?? 50, 50));
                return new DescribeInstanceInformationResponse
                {
                    InstanceInformationList = items.Count == 0 ? null : items.Select(id => new InstanceInformation
                    {
                        InstanceId = id,
                        PingStatus = PingStatus.Online,
                        PlatformName = "Amazon Linux",
                        PlatformVersion = "2023",
                        PlatformType = PlatformType.Linux,
                    }).ToList(),
                    NextToken = next,
                };
            });
        Mock.Setup(m => m.DescribePatchGroupsAsync(It.IsAny<DescribePatchGroupsRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (DescribePatchGroupsRequest _, CancellationToken ct) =>
            {
                await CallAsync("ssm:DescribePatchGroups", ct).ConfigureAwait(false);
                return new DescribePatchGroupsResponse
                {
                    Mappings =
                    [
                        new PatchGroupPatchBaselineMapping
                        {
                            PatchGroup = "prod-linux",
                            BaselineIdentity = new PatchBaselineIdentity { BaselineId = "pb-0123456789abcdef0", BaselineName = "prod-linux", OperatingSystem = Amazon.SimpleSystemsManagement.OperatingSystem.AMAZON_LINUX_2023 },
                        },
                    ],
                };
            });
        Mock.Setup(m => m.GetDefaultPatchBaselineAsync(It.IsAny<GetDefaultPatchBaselineRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (GetDefaultPatchBaselineRequest r, CancellationToken ct) =>
            {
                await CallAsync("ssm:GetDefaultPatchBaseline", ct).ConfigureAwait(false);
                return new GetDefaultPatchBaselineResponse { BaselineId = "pb-0fedcba9876543210", OperatingSystem = r.OperatingSystem };
            });
        Mock.Setup(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (SendCommandRequest r, CancellationToken ct) =>
            {
                await CallAsync("ssm:SendCommand", ct).ConfigureAwait(false);
                Sent.Add(r);
                return new SendCommandResponse
                {
                    Command = new Command { CommandId = "cmd-" + Interlocked.Increment(ref _commands), Comment = r.Comment, DocumentName = r.DocumentName, Status = CommandStatus.Pending },
                };
            });
    }

    public Mock<IAmazonSimpleSystemsManagement> Mock { get; } = new(MockBehavior.Strict);

    public IAmazonSimpleSystemsManagement Client => Mock.Object;

    public CallCounter Counter { get; }

    public TimeSpan Latency { get; }

    /// <summary>The commands sent, to check that a whole tag went as one tag-targeted command.</summary>
    public ConcurrentBag<SendCommandRequest> Sent { get; } = [];

    private async Task CallAsync(string operation, CancellationToken ct)
    {
        Counter.Add(operation);
        var wait = Counter.Latency ?? Latency;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct).ConfigureAwait(false);
    }
}
