using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Tests.Tickets;

/// <summary>The OpsCenter adapter: which SSM calls it makes, with what, and how one incident stays one OpsItem.</summary>
public sealed class SsmOpsCenterTests
{
    private static readonly TicketDraft Draft = new()
    {
        DedupKey = TicketDraft.Keys.Incident(["i-0a1b2c3d4e5f60001"]),
        Title = "Security incident: web-1 isolated",
        Description = "isolated",
        Severity = 1,
        InstanceIds = ["i-0a1b2c3d4e5f60001"],
        RequestId = "amzn1.echo-api.request.1",
        Data = new Dictionary<string, string> { ["originalGroups"] = "i-0a1b2c3d4e5f60001/eni-1=sg-web" },
    };

    private static Mock<IAmazonSimpleSystemsManagement> Ssm(params OpsItemSummary[] open)
    {
        var ssm = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        ssm.Setup(s => s.DescribeOpsItemsAsync(It.IsAny<DescribeOpsItemsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeOpsItemsResponse { OpsItemSummaries = open.Length == 0 ? null : [.. open] });
        return ssm;
    }

    [Fact]
    public async Task OpenOrUpdate_WhenNoneIsOpen_CreatesOneWithTheDedupStringRelatedInstancesAndData()
    {
        var ssm = Ssm();
        CreateOpsItemRequest? sent = null;
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CreateOpsItemRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new CreateOpsItemResponse { OpsItemId = "oi-0123456789ab" });

        var ticket = await new SsmOpsCenter(() => ssm.Object, "us-east-1", "111122223333").OpenOrUpdateAsync(Draft, CancellationToken.None);

        Assert.Equal(new TicketRef("oi-0123456789ab", true), ticket);
        Assert.NotNull(sent);
        Assert.Equal("SecurityAlexa", sent.Source);
        Assert.Equal("1", sent.Severity);
        Assert.Equal("Security", sent.Category);
        Assert.Equal("{\"dedupString\":\"SecurityAlexa:incident:i-0a1b2c3d4e5f60001\"}", sent.OperationalData["/aws/dedup"].Value);
        Assert.Equal("[{\"arn\":\"arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60001\"}]",
            sent.OperationalData["/aws/resources"].Value);
        Assert.Equal("amzn1.echo-api.request.1", sent.OperationalData["SecurityAlexa:requestId"].Value);
        Assert.Equal("i-0a1b2c3d4e5f60001/eni-1=sg-web", sent.OperationalData["SecurityAlexa:originalGroups"].Value);
        Assert.Equal(OpsItemDataType.SearchableString, sent.OperationalData[SsmOpsCenter.IncidentKey].Type);
        ssm.Verify(s => s.DescribeOpsItemsAsync(It.Is<DescribeOpsItemsRequest>(r =>
            r.OpsItemFilters.Any(f => f.Key == OpsItemFilterKey.OperationalData
                && f.Values[0] == "{\"key\":\"SecurityAlexa:incident\",\"value\":\"SecurityAlexa:incident:i-0a1b2c3d4e5f60001\"}")
            && r.OpsItemFilters.Any(f => f.Key == OpsItemFilterKey.Status && f.Values.Contains("Open"))), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OpenOrUpdate_WhenTheIncidentHasAnOpenOne_UpdatesItAndCreatesNothing()
    {
        var ssm = Ssm(new OpsItemSummary { OpsItemId = "oi-00000000aaaa" });
        UpdateOpsItemRequest? sent = null;
        ssm.Setup(s => s.UpdateOpsItemAsync(It.IsAny<UpdateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<UpdateOpsItemRequest, CancellationToken>((r, _) => sent = r).ReturnsAsync(new UpdateOpsItemResponse());

        var ticket = await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft, CancellationToken.None);

        Assert.Equal(new TicketRef("oi-00000000aaaa", false), ticket);
        Assert.Equal("oi-00000000aaaa", sent!.OpsItemId);
        Assert.False(sent.OperationalData.ContainsKey("/aws/dedup"));
        Assert.False(sent.OperationalData.ContainsKey("/aws/resources"));
        ssm.Verify(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task OpenOrUpdate_WhenAnotherContainerOpenedItAMomentBefore_UpdatesThatOne()
    {
        var ssm = Ssm();
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OpsItemAlreadyExistsException("exists") { OpsItemId = "oi-00000000bbbb" });
        ssm.Setup(s => s.UpdateOpsItemAsync(It.Is<UpdateOpsItemRequest>(r => r.OpsItemId == "oi-00000000bbbb"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UpdateOpsItemResponse());

        var ticket = await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft, CancellationToken.None);

        Assert.Equal(new TicketRef("oi-00000000bbbb", false), ticket);
    }

    [Fact]
    public async Task OpenOrUpdate_WhenDenied_ThrowsTheNamedOperation()
    {
        var ssm = Ssm();
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonSimpleSystemsManagementException("no") { ErrorCode = "AccessDeniedException" });

        var e = await Assert.ThrowsAsync<AwsCallException>(() =>
            new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft, CancellationToken.None));

        Assert.Equal(AwsOperations.SsmCreateOpsItem, e.Operation);
        Assert.Equal(AwsFailure.AccessDenied, e.Failure);
    }

    [Fact]
    public async Task ListOpen_ReadsTheSkillsOpenOnesNewestFirst()
    {
        var ssm = Ssm(new OpsItemSummary { OpsItemId = "oi-000000000001", Title = "older", CreatedTime = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc) },
            new OpsItemSummary { OpsItemId = "oi-000000000002", Title = "newer", Severity = "1", CreatedTime = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc) });

        var open = await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).ListOpenAsync(CancellationToken.None);

        Assert.Equal(["oi-000000000002", "oi-000000000001"], open.Items.Select(t => t.Id));
        Assert.False(open.More);
        ssm.Verify(s => s.DescribeOpsItemsAsync(It.Is<DescribeOpsItemsRequest>(r =>
            r.OpsItemFilters.Any(f => f.Key == OpsItemFilterKey.Source && f.Values.SequenceEqual(new[] { "SecurityAlexa" }))),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ListOpen_FollowsNextTokenWithFiftyAPageAndSaysWhenMoreWereLeft()
    {
        var ssm = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        var requests = new List<DescribeOpsItemsRequest>();
        var page = 0;
        ssm.Setup(s => s.DescribeOpsItemsAsync(It.IsAny<DescribeOpsItemsRequest>(), It.IsAny<CancellationToken>()))
            .Callback<DescribeOpsItemsRequest, CancellationToken>((r, _) => requests.Add(r))
            .ReturnsAsync(() =>
            {
                page++;
                // A filtered page may be empty and still have more to come.
                return new DescribeOpsItemsResponse
                {
                    OpsItemSummaries = page == 1 ? null : [new OpsItemSummary { OpsItemId = "oi-00000000000" + page, Title = "t" + page }],
                    NextToken = "token-" + page,
                };
            });

        var open = await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).ListOpenAsync(CancellationToken.None);

        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal(50, r.MaxResults));
        Assert.Equal([null, "token-1", "token-2", "token-3"], requests.Select(r => r.NextToken));
        Assert.All(requests, r => Assert.Contains(r.OpsItemFilters, f => f.Key == OpsItemFilterKey.Status && f.Operator == OpsItemFilterOperator.Equal
            && f.Values.SequenceEqual(new[] { "Open", "InProgress" })));
        Assert.Equal(3, open.Items.Count);
        Assert.True(open.More);
    }

    [Fact]
    public async Task OpenOrUpdate_WhenTheOpenOneIsOnALaterPage_UpdatesItAndCreatesNothing()
    {
        var ssm = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        ssm.SetupSequence(s => s.DescribeOpsItemsAsync(It.IsAny<DescribeOpsItemsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeOpsItemsResponse { NextToken = "next" })
            .ReturnsAsync(new DescribeOpsItemsResponse { OpsItemSummaries = [new OpsItemSummary { OpsItemId = "oi-0000000000aa" }] });
        UpdateOpsItemRequest? sent = null;
        ssm.Setup(s => s.UpdateOpsItemAsync(It.IsAny<UpdateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<UpdateOpsItemRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new UpdateOpsItemResponse());

        var ticket = await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft, CancellationToken.None);

        Assert.Equal(new TicketRef("oi-0000000000aa", false), ticket);
        Assert.Equal("oi-0000000000aa", sent?.OpsItemId);
        ssm.Verify(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task OpenOrUpdate_ClipsALongValueToTwentyKilobytesOfUtf8()
    {
        var ssm = Ssm();
        CreateOpsItemRequest? sent = null;
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CreateOpsItemRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new CreateOpsItemResponse { OpsItemId = "oi-0123456789ab" });
        // 10,000 three-byte characters are 30,000 bytes: over the limit although under 20,000 characters.
        var draft = Draft with { Data = new Dictionary<string, string> { ["note"] = new string('隔', 10_000) } };

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(draft, CancellationToken.None);

        var value = sent!.OperationalData["SecurityAlexa:note"].Value;
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(value), 20 * 1024 - 3, 20 * 1024);
        Assert.EndsWith("…", value, StringComparison.Ordinal);
    }
}
