using System.Net;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Patching;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Patching;

/// <summary>The SSM adapter: requests as SSM expects them, null lists, paging, and errors named by IAM action.</summary>
public sealed class SsmPatchManagerTests
{
    private const string CommandId = "c0ffee00-0000-4000-8000-000000000001";

    private readonly Mock<IAmazonSimpleSystemsManagement> _ssm = new(MockBehavior.Strict);

    private SsmPatchManager Adapter => new(_ssm.Object);

    [Fact]
    public async Task DescribeManagedNodesAsync_WhenSsmReturnsNullLists_ReturnsNoNodes()
    {
        _ssm.Setup(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeInstanceInformationResponse { InstanceInformationList = null });

        var nodes = await Adapter.DescribeManagedNodesAsync(["i-1"], CancellationToken.None);

        Assert.Empty(nodes);
    }

    [Fact]
    public async Task DescribeManagedNodesAsync_WhenGivenMoreThan50Ids_AsksInChunksAndFollowsPages()
    {
        var requests = new List<DescribeInstanceInformationRequest>();
        _ssm.Setup(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DescribeInstanceInformationRequest r, CancellationToken _) =>
            {
                requests.Add(r);
                var ids = r.Filters.Single().Values;
                // The first chunk comes back in two pages.
                var page = r.NextToken is null && ids.Count == 50 ? ids.Take(25) : r.NextToken == "p2" ? ids.Skip(25) : ids;
                return new DescribeInstanceInformationResponse
                {
                    InstanceInformationList = page.Select(id => new InstanceInformation { InstanceId = id, PingStatus = PingStatus.Online, PlatformName = "Ubuntu" }).ToList(),
                    NextToken = r.NextToken is null && ids.Count == 50 ? "p2" : null,
                };
            });
        var ids = Enumerable.Range(0, 60).Select(i => $"i-{i:D3}").ToList();

        var nodes = await Adapter.DescribeManagedNodesAsync(ids, CancellationToken.None);

        Assert.Equal(60, nodes.Count);
        Assert.All(nodes, n => Assert.True(n.IsOnline));
        Assert.All(requests, r => Assert.Equal("InstanceIds", r.Filters.Single().Key));
        Assert.Equal([50, 50, 10], requests.Select(r => r.Filters.Single().Values.Count));
    }

    [Fact]
    public async Task SendPatchCommandAsync_WhenGivenIds_SendsRunPatchBaselineToThoseIds()
    {
        SendCommandRequest? sent = null;
        _ssm.Setup(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()))
            .Callback((SendCommandRequest r, CancellationToken _) => sent = r)
            .ReturnsAsync(new SendCommandResponse { Command = new Command { CommandId = CommandId } });

        var id = await Adapter.SendPatchCommandAsync(new PatchCommandRequest(
            new PatchCommandTarget { InstanceIds = ["i-1", "i-2"] }, "Install", "NoReboot", "2", "0", "SecurityAlexa patch ref x"), CancellationToken.None);

        Assert.Equal(CommandId, id);
        Assert.Equal("AWS-RunPatchBaseline", sent!.DocumentName);
        Assert.Equal(["i-1", "i-2"], sent.InstanceIds);
        Assert.Null(sent.Targets);
        Assert.Equal(["Install"], sent.Parameters["Operation"]);
        Assert.Equal(["NoReboot"], sent.Parameters["RebootOption"]);
        Assert.Equal(("2", "0", "SecurityAlexa patch ref x"), (sent.MaxConcurrency, sent.MaxErrors, sent.Comment));
    }

    [Fact]
    public async Task ListNonEc2NodesAsync_AsksByResourceTypeAloneAndSaysWhenThereAreMore()
    {
        DescribeInstanceInformationRequest? asked = null;
        _ssm.Setup(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()))
            .Callback((DescribeInstanceInformationRequest r, CancellationToken _) => asked = r)
            .ReturnsAsync(new DescribeInstanceInformationResponse
            {
                InstanceInformationList = [new InstanceInformation { InstanceId = "mi-0123456789abcdef0" }, new InstanceInformation()],
                NextToken = "next",
            });

        var (ids, more) = await Adapter.ListNonEc2NodesAsync(50, CancellationToken.None);

        Assert.Equal(["mi-0123456789abcdef0"], ids);
        Assert.True(more);
        // SSM rejects a tag filter combined with any other filter type, so the resource type is asked alone.
        var filter = Assert.Single(asked!.Filters);
        Assert.Equal(("ResourceType", "ManagedInstance"), (filter.Key, Assert.Single(filter.Values)));
        Assert.Null(asked.InstanceInformationFilterList);
        Assert.Equal(50, asked.MaxResults);
    }

    [Fact]
    public async Task NonEc2NodeTagsAsync_ReadsTheManagedInstancesTagsAndToleratesNull()
    {
        var asked = new List<ListTagsForResourceRequest>();
        _ssm.Setup(m => m.ListTagsForResourceAsync(It.IsAny<ListTagsForResourceRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ListTagsForResourceRequest r, CancellationToken _) => asked.Add(r))
            .ReturnsAsync((ListTagsForResourceRequest r, CancellationToken _) => new ListTagsForResourceResponse
            {
                TagList = r.ResourceId == "mi-1" ? [new Tag { Key = "Environment", Value = "prod" }] : null,
            });

        var tagged = await Adapter.NonEc2NodeTagsAsync("mi-1", CancellationToken.None);
        var bare = await Adapter.NonEc2NodeTagsAsync("mi-2", CancellationToken.None);

        Assert.Equal([("Environment", "prod")], tagged);
        Assert.Empty(bare);
        Assert.All(asked, r => Assert.Equal(ResourceTypeForTagging.ManagedInstance, r.ResourceType));
    }

    [Fact]
    public async Task SendPatchCommandAsync_WhenGivenMoreThan50Ids_RefusesWithoutCallingSsm()
    {
        var target = new PatchCommandTarget { InstanceIds = Enumerable.Range(0, 51).Select(i => $"i-{i}").ToList() };

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Adapter.SendPatchCommandAsync(new PatchCommandRequest(target, "Install", "RebootIfNeeded", "1", "0", "c"), CancellationToken.None));
        _ssm.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SendPatchCommandAsync_WhenAccessIsDenied_ThrowsNamingTheIamAction()
    {
        _ssm.Setup(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonSimpleSystemsManagementException("no") { ErrorCode = "AccessDeniedException", StatusCode = HttpStatusCode.BadRequest });

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Adapter.SendPatchCommandAsync(
            new PatchCommandRequest(new PatchCommandTarget { TagKey = "Env", TagValues = ["prod"] }, "Install", "RebootIfNeeded", "1", "0", "c"), CancellationToken.None));

        Assert.Equal((AwsOperations.SsmSendCommand, AwsFailure.AccessDenied), (e.Operation, e.Failure));
    }

    [Fact]
    public async Task GetCommandAsync_WhenSsmNoLongerKnowsTheCommand_ReturnsNull()
    {
        _ssm.Setup(m => m.ListCommandsAsync(It.IsAny<ListCommandsRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidCommandIdException("gone") { ErrorCode = "InvalidCommandId", StatusCode = HttpStatusCode.BadRequest });

        Assert.Null(await Adapter.GetCommandAsync("c-old", CancellationToken.None));
    }

    [Fact]
    public async Task ListsAndStates_WhenSsmReturnsNullLists_ReturnEmpty()
    {
        _ssm.Setup(m => m.ListCommandsAsync(It.IsAny<ListCommandsRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new ListCommandsResponse());
        _ssm.Setup(m => m.ListCommandInvocationsAsync(It.IsAny<ListCommandInvocationsRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new ListCommandInvocationsResponse());
        _ssm.Setup(m => m.DescribeInstancePatchStatesAsync(It.IsAny<DescribeInstancePatchStatesRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new DescribeInstancePatchStatesResponse());
        _ssm.Setup(m => m.DescribePatchGroupsAsync(It.IsAny<DescribePatchGroupsRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new DescribePatchGroupsResponse());

        Assert.Empty(await Adapter.ListRecentPatchCommandsAsync(DateTimeOffset.UnixEpoch, 50, CancellationToken.None));
        Assert.Empty(await Adapter.ListInvocationsAsync("c-1", CancellationToken.None));
        Assert.Empty(await Adapter.DescribePatchStatesAsync(["i-1"], CancellationToken.None));
        Assert.Empty(await Adapter.ListPatchGroupBaselinesAsync(CancellationToken.None));
        Assert.Null(await Adapter.GetCommandAsync("c-1", CancellationToken.None));
    }

    [Fact]
    public async Task DescribePatchStatesAsync_TranslatesTheCountsSsmReports()
    {
        _ssm.Setup(m => m.DescribeInstancePatchStatesAsync(It.IsAny<DescribeInstancePatchStatesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeInstancePatchStatesResponse
            {
                InstancePatchStates = [new Amazon.SimpleSystemsManagement.Model.InstancePatchState
                {
                    InstanceId = "i-0123456789abcdef0", MissingCount = 3, FailedCount = 1, InstalledPendingRebootCount = 2, CriticalNonCompliantCount = 1, SecurityNonCompliantCount = null,
                }],
            });

        var state = Assert.Single(await Adapter.DescribePatchStatesAsync(["i-0123456789abcdef0"], CancellationToken.None));

        Assert.Equal(new SecurityAlexa.Patching.InstancePatchState("i-0123456789abcdef0", 3, 1, 2, 1, 0, null), state);
    }
    [Fact]
    public async Task SendPatchCommandAsync_WhenGivenASendClient_SendsOnlyThroughItAndReadsThroughTheOther()
    {
        var send = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        send.Setup(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SendCommandResponse { Command = new Command { CommandId = CommandId } });
        _ssm.Setup(m => m.ListCommandsAsync(It.IsAny<ListCommandsRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new ListCommandsResponse());
        var adapter = new SsmPatchManager(() => _ssm.Object, () => send.Object);

        var id = await adapter.SendPatchCommandAsync(new PatchCommandRequest(new PatchCommandTarget { InstanceIds = ["i-1"] }, "Install", "RebootIfNeeded", "25%", "1",
            PatchComment.For("abcd1234", 1, 1)), CancellationToken.None);
        await adapter.ListRecentPatchCommandsAsync(DateTimeOffset.UnixEpoch, 10, CancellationToken.None);

        Assert.Equal(CommandId, id);
        send.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        send.VerifyNoOtherCalls();
        _ssm.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void AwsClients_FromConfiguration_SendCommandsWithoutSdkRetriesAndKeepRetriesForReads()
    {
        var clients = new AwsClients(SecurityAlexa.Skill.SkillConfig.FromEnvironment(new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1" }));

        // A retried SendCommand that SSM had accepted would start a second patch run.
        Assert.Equal(0, ((AmazonSimpleSystemsManagementClient)clients.SsmOnce).Config.MaxErrorRetry);
        Assert.True(((AmazonSimpleSystemsManagementClient)clients.Ssm).Config.MaxErrorRetry > 0);
    }
}
