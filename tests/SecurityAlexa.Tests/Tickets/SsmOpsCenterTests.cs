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

    [Fact]
    public async Task OpenOrUpdate_WhenAMoreSevereActionUpdates_RaisesSeverityAndTitle_AndKeepsTheEarlierActionsData()
    {
        // Opened by "open a ticket" (severity 2), with the count of actions the skill keeps searchable.
        var ssm = Ssm(new OpsItemSummary
        {
            OpsItemId = "oi-00000000aaaa", Severity = "2",
            OperationalData = new() { [SsmOpsCenter.ActionsKey] = new OpsItemDataValue { Value = "1" } },
        });
        UpdateOpsItemRequest? sent = null;
        ssm.Setup(s => s.UpdateOpsItemAsync(It.IsAny<UpdateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<UpdateOpsItemRequest, CancellationToken>((r, _) => sent = r).ReturnsAsync(new UpdateOpsItemResponse());

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft, CancellationToken.None);

        Assert.Equal("1", sent!.Severity);
        Assert.Equal("Security incident: web-1 isolated", sent.Title);
        // The isolation's data goes under its own number; nothing of the first action's keys is written over.
        Assert.Equal("i-0a1b2c3d4e5f60001/eni-1=sg-web", sent.OperationalData["SecurityAlexa:2:originalGroups"].Value);
        Assert.Equal("amzn1.echo-api.request.1", sent.OperationalData["SecurityAlexa:2:requestId"].Value);
        Assert.Equal("2", sent.OperationalData[SsmOpsCenter.ActionsKey].Value);
        Assert.DoesNotContain(sent.OperationalData.Keys, k => k is "SecurityAlexa:originalGroups" or "SecurityAlexa:requestId"
            or "SecurityAlexa:instances" or "SecurityAlexa:description");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task OpenOrUpdate_WhenAMilderOrEquallySevereActionUpdates_LowersNeitherSeverityNorTitle(string current)
    {
        var ssm = Ssm(new OpsItemSummary
        {
            OpsItemId = "oi-00000000aaaa", Severity = current,
            OperationalData = new() { [SsmOpsCenter.ActionsKey] = new OpsItemDataValue { Value = "3" } },
        });
        UpdateOpsItemRequest? sent = null;
        ssm.Setup(s => s.UpdateOpsItemAsync(It.IsAny<UpdateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<UpdateOpsItemRequest, CancellationToken>((r, _) => sent = r).ReturnsAsync(new UpdateOpsItemResponse());

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft with { Severity = 2, Title = "released" },
            CancellationToken.None);

        Assert.Null(sent!.Severity);
        Assert.Null(sent.Title);
        Assert.Equal("i-0a1b2c3d4e5f60001/eni-1=sg-web", sent.OperationalData["SecurityAlexa:4:originalGroups"].Value);
    }

    [Fact]
    public async Task OpenOrUpdate_PastTheMostActionsKeptApart_TheLastNumberHoldsTheNewest()
    {
        var ssm = Ssm(new OpsItemSummary
        {
            OpsItemId = "oi-00000000aaaa", Severity = "1",
            OperationalData = new() { [SsmOpsCenter.ActionsKey] = new OpsItemDataValue { Value = SsmOpsCenter.MaxActions.ToString() } },
        });
        UpdateOpsItemRequest? sent = null;
        ssm.Setup(s => s.UpdateOpsItemAsync(It.IsAny<UpdateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<UpdateOpsItemRequest, CancellationToken>((r, _) => sent = r).ReturnsAsync(new UpdateOpsItemResponse());

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft, CancellationToken.None);

        Assert.Contains("SecurityAlexa:" + SsmOpsCenter.MaxActions + ":originalGroups", sent!.OperationalData.Keys);
        Assert.Equal(SsmOpsCenter.MaxActions.ToString(), sent.OperationalData[SsmOpsCenter.ActionsKey].Value);
        Assert.All(sent.OperationalData.Keys, k => Assert.InRange(k.Length, 1, 128));
    }

    [Fact]
    public async Task OpenOrUpdate_WhenOpenedByAnotherContainerAndNotYetListed_KeepsTheActionsDataApart_AndChangesNoSeverity()
    {
        var ssm = Ssm();
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OpsItemAlreadyExistsException("exists") { OpsItemId = "oi-00000000bbbb" });
        UpdateOpsItemRequest? sent = null;
        ssm.Setup(s => s.UpdateOpsItemAsync(It.IsAny<UpdateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<UpdateOpsItemRequest, CancellationToken>((r, _) => sent = r).ReturnsAsync(new UpdateOpsItemResponse());

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", null).OpenOrUpdateAsync(Draft, CancellationToken.None);

        Assert.Null(sent!.Severity);
        Assert.DoesNotContain("SecurityAlexa:originalGroups", sent.OperationalData.Keys);
        Assert.Single(sent.OperationalData.Keys, k => k.StartsWith("SecurityAlexa:r", StringComparison.Ordinal) && k.EndsWith(":originalGroups",
            StringComparison.Ordinal));
        Assert.False(sent.OperationalData.ContainsKey(SsmOpsCenter.ActionsKey));
    }

    [Fact]
    public async Task OpenOrUpdate_ForAnotherAccountsInstances_RelatesThemByTheirOwnAccountRegionAndPartition()
    {
        var ssm = Ssm();
        CreateOpsItemRequest? sent = null;
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CreateOpsItemRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new CreateOpsItemResponse { OpsItemId = "oi-0123456789ab" });
        var draft = Draft with { Scope = new TicketScope("444455556666", "cn-north-1", "aws-cn", true) };

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", "111122223333").OpenOrUpdateAsync(draft, CancellationToken.None);

        Assert.Equal("[{\"arn\":\"arn:aws-cn:ec2:cn-north-1:444455556666:instance/i-0a1b2c3d4e5f60001\"}]",
            sent!.OperationalData["/aws/resources"].Value);
    }

    [Fact]
    public async Task OpenOrUpdate_WithMoreInstancesThanOpsCenterRelates_RelatesTheFirstHundred_AndNamesThemAll()
    {
        var ssm = Ssm();
        CreateOpsItemRequest? sent = null;
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CreateOpsItemRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new CreateOpsItemResponse { OpsItemId = "oi-0123456789ab" });
        var ids = Enumerable.Range(0, 150).Select(i => "i-0a1b2c3d4e5f6" + i.ToString("0000")).ToList();

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", "111122223333")
            .OpenOrUpdateAsync(Draft with { InstanceIds = ids }, CancellationToken.None);

        Assert.Equal(100, System.Text.Json.Nodes.JsonNode.Parse(sent!.OperationalData["/aws/resources"].Value)!.AsArray().Count);
        Assert.Equal(string.Join(",", ids), sent.OperationalData["SecurityAlexa:instances"].Value);
    }

    [Fact]
    public async Task OpenOrUpdate_ForAScopeWhoseAccountIsNotKnown_WritesNoArnRatherThanTheHomeAccounts()
    {
        var ssm = Ssm();
        CreateOpsItemRequest? sent = null;
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CreateOpsItemRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new CreateOpsItemResponse { OpsItemId = "oi-0123456789ab" });

        await new SsmOpsCenter(() => ssm.Object, "us-east-1", "111122223333")
            .OpenOrUpdateAsync(Draft with { Scope = new TicketScope("", "eu-west-1", "aws", true) }, CancellationToken.None);

        Assert.False(sent!.OperationalData.ContainsKey("/aws/resources"));
    }

    [Theory]
    [InlineData("Environment=prod")]
    [InlineData("environment=production-eu-west-1-blue-green-a1")]
    [InlineData("environment=prod-with-a-rather-long-value-that-does-not-fit-in-the-key")]
    [InlineData("Owner=チーム-セキュリティ-本番環境-東京リージョン-😀😀😀😀😀😀😀😀😀😀")]
    public void Keys_StayWithinTheirBound(string scope)
    {
        Assert.InRange(TicketDraft.Keys.Findings(scope).Length, 1, TicketDraft.Keys.MaxLength);
        Assert.InRange(TicketDraft.Keys.Incident(Enumerable.Range(0, 50).Select(i => "i-0a1b2c3d4e5f6" + i.ToString("0000"))).Length, 1,
            TicketDraft.Keys.MaxLength);
        // The longest: a key of another account and region, of the longest region name.
        var away = new TicketScope("444455556666", "ap-southeast-7", "aws", true);
        Assert.InRange(TicketDraft.Keys.Within(away, TicketDraft.Keys.Findings(scope)).Length, 1, TicketDraft.Keys.MaxLength);
        Assert.InRange(TicketDraft.Keys.Within(away, TicketDraft.Keys.Incident(["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"])).Length, 1,
            TicketDraft.Keys.MaxLength);
    }

    [Fact]
    public void Keys_ThatOpsCenterWouldMatchIgnoringCase_AreEqualOnlyWhenTheyAreTheSameIncident()
    {
        // EC2 tag keys and values are case-sensitive: two tag groups, two incidents, though OpsCenter ignores case.
        var upper = TicketDraft.Keys.Findings("Environment=prod");
        var lower = TicketDraft.Keys.Findings("environment=prod");

        Assert.False(string.Equals(upper, lower, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(upper, TicketDraft.Keys.Findings("Environment=prod"));
        // A key as OpsCenter compares it is the key the skill looks up: nothing in it depends on case.
        Assert.Equal(upper.ToLowerInvariant()["securityalexa:".Length..], upper["SecurityAlexa:".Length..]);
        Assert.Equal("SecurityAlexa:findings:environment=prod", lower);
        Assert.Equal("SecurityAlexa:incident:i-0a1b2c3d4e5f60001", TicketDraft.Keys.Incident(["i-0a1b2c3d4e5f60001"]));
    }
}
