using System.Net;
using Amazon.DynamoDBv2.Model;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.State;

namespace SecurityAlexa.Tests.State;

/// <summary>
/// The DynamoDB adapter against <see cref="FakeDynamoDb"/>, which evaluates the expressions the adapter writes;
/// and the in-memory table (the sandbox's) put through the same cases, so that both have one semantics.
/// </summary>
public sealed class DynamoStateTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeDynamoDb _dynamo = new();

    public static TheoryData<string> Tables => ["dynamodb", "memory"];

    private IStateTable Table(string kind) => kind == "dynamodb" ? new DynamoStateTable(() => _dynamo.Client, FakeDynamoDb.DefaultTable) : new InMemoryStateTable();

    private static StateItem Claim(string key, DateTimeOffset expires) => new(key, new Dictionary<string, StateValue>
    {
        ["kind"] = StateValue.Of("claim"),
        ["expiresAt"] = StateValue.Of(expires),
    });

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task GetManyAsync_Of250Keys_ReturnsTheLiveItemsFound_LeavingOutMissingAndExpiredOnes(string kind)
    {
        var table = Table(kind);
        for (var i = 0; i < 250; i += 10)
            await table.PutAsync(Claim("claim#" + i, i == 120 ? Now.AddMinutes(-1) : Now.AddMinutes(5)), StateCondition.Absent, Now.AddMinutes(-2),
                CancellationToken.None);

        var found = await table.GetManyAsync(Enumerable.Range(0, 250).Select(i => "claim#" + i).ToList(), Now, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => i * 10).Where(i => i != 120).Select(i => "claim#" + i).Order(),
            found.Keys.Order());
        Assert.All(found, f => Assert.Equal(f.Key, f.Value.Key));
        // DynamoDB's: 100 keys a call, strongly consistent, in three calls.
        if (kind == "dynamodb")
            Assert.Equal([100, 100, 50], _dynamo.Requests<BatchGetItemRequest>().Select(r => r.RequestItems.Single().Value.Keys.Count));
    }

    [Fact]
    public async Task GetManyAsync_WhenDynamoDbLeavesKeysUnprocessed_AsksForThemAgain_AndFailsRatherThanCallThemAbsent()
    {
        var table = new DynamoStateTable(() => _dynamo.Client, FakeDynamoDb.DefaultTable);
        for (var i = 0; i < 10; i++)
            await table.PutAsync(Claim("claim#" + i, Now.AddMinutes(5)), StateCondition.Absent, Now, CancellationToken.None);
        _dynamo.UnprocessedAfter = 4;

        var found = await table.GetManyAsync(Enumerable.Range(0, 10).Select(i => "claim#" + i).ToList(), Now, CancellationToken.None);

        Assert.Equal(10, found.Count);
        Assert.Equal([10, 6, 2], _dynamo.Requests<BatchGetItemRequest>().Select(r => r.RequestItems.Single().Value.Keys.Count));

        _dynamo.UnprocessedAfter = 1;
        var error = await Assert.ThrowsAsync<AwsCallException>(() =>
            table.GetManyAsync(Enumerable.Range(0, 10).Select(i => "claim#" + i).ToList(), Now, CancellationToken.None));
        Assert.Equal(AwsOperations.DynamoBatchGetItem, error.Operation);
        Assert.Equal(AwsFailure.Throttled, error.Failure);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task PutAsync_WhenAbsent_WritesOnceAndRefusesTheSecond(string kind)
    {
        var table = Table(kind);

        var first = await table.PutAsync(Claim("claim#a", Now.AddMinutes(5)), StateCondition.Absent, Now, CancellationToken.None);
        var second = await table.PutAsync(Claim("claim#a", Now.AddMinutes(5)), StateCondition.Absent, Now, CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal("claim", (await table.GetAsync("claim#a", Now, CancellationToken.None))?.Text("kind"));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task PutAsync_WhenTheItemHasExpiredButIsStillThere_Succeeds(string kind)
    {
        var table = Table(kind);
        await table.PutAsync(Claim("claim#a", Now.AddMinutes(5)), StateCondition.Absent, Now, CancellationToken.None);

        var later = Now.AddMinutes(5);
        var again = await table.PutAsync(Claim("claim#a", later.AddMinutes(5)), StateCondition.Absent, later, CancellationToken.None);

        Assert.True(again);
        Assert.Null(await table.GetAsync("claim#a", later.AddMinutes(5), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task UpdateAsync_Add_CountsFromZeroAndReturnsTheNewItem(string kind)
    {
        var table = Table(kind);

        var one = await table.UpdateAsync("code#x", new StateUpdate().Add("failures", 1).Set("kind", StateValue.Of("code")), null, Now, CancellationToken.None);
        var two = await table.UpdateAsync("code#x", new StateUpdate().Add("failures", 1), null, Now, CancellationToken.None);

        Assert.Equal(1, one?.Number("failures"));
        Assert.Equal(2, two?.Number("failures"));
        Assert.Equal("code", two?.Text("kind"));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task UpdateAsync_WhenTheConditionFails_ChangesNothingAndReturnsNull(string kind)
    {
        var table = Table(kind);
        await table.UpdateAsync("code#x", new StateUpdate().Set("windowEnds", StateValue.Of(Now.AddMinutes(-1))).Add("failures", 2), null, Now, CancellationToken.None);

        var refused = await table.UpdateAsync("code#x", new StateUpdate().Add("failures", 1), StateCondition.Above("windowEnds", Now.ToUnixTimeSeconds()), Now, CancellationToken.None);
        var onMissing = await table.UpdateAsync("code#y", new StateUpdate().Add("failures", 1), StateCondition.Live, Now, CancellationToken.None);

        Assert.Null(refused);
        Assert.Null(onMissing);
        Assert.Equal(2, (await table.GetAsync("code#x", Now, CancellationToken.None))?.Number("failures"));
        Assert.Null(await table.GetAsync("code#y", Now, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task UpdateAsync_VersionIs_LetsOneOfTwoWritersAtTheSameVersionWin(string kind)
    {
        var table = Table(kind);
        await table.PutAsync(new StateItem("isolation#i-1", new Dictionary<string, StateValue> { ["version"] = StateValue.Of(1), ["state"] = StateValue.Of("isolated") }),
            StateCondition.Absent, Now, CancellationToken.None);

        var release = await table.UpdateAsync("isolation#i-1", new StateUpdate().Set("state", StateValue.Of("releasing")).Add("version", 1), StateCondition.VersionIs(1), Now, CancellationToken.None);
        var isolateAgain = await table.UpdateAsync("isolation#i-1", new StateUpdate().Set("state", StateValue.Of("isolating")).Add("version", 1), StateCondition.VersionIs(1), Now, CancellationToken.None);

        Assert.Equal(2, release?.Version);
        Assert.Null(isolateAgain);
        Assert.Equal("releasing", (await table.GetAsync("isolation#i-1", Now, CancellationToken.None))?.Text("state"));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task DeleteAsync_RemovesTheItemAndAMissingOneIsNotAnError(string kind)
    {
        var table = Table(kind);
        await table.PutAsync(Claim("claim#a", Now.AddMinutes(5)), StateCondition.Absent, Now, CancellationToken.None);

        await table.DeleteAsync("claim#a", CancellationToken.None);
        await table.DeleteAsync("claim#a", CancellationToken.None);

        Assert.Null(await table.GetAsync("claim#a", Now, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateAsync_SendsOneUpdateWithPlaceholdersAndAsksForTheNewItem()
    {
        var table = Table("dynamodb");

        await table.UpdateAsync("code#x", new StateUpdate().Add("failures", 1).Set("expiresAt", StateValue.Of(Now.AddDays(1))),
            StateCondition.Live.And(StateCondition.Above("windowEnds", 5)), Now, CancellationToken.None);

        var update = Assert.Single(_dynamo.Requests<UpdateItemRequest>());
        // The write's own token is set alongside (see RetriedWriteTests).
        Assert.Equal("SET #n0 = :v0, #n1 = :v1 ADD #n2 :v2", update.UpdateExpression);
        Assert.Equal("expiresAt", update.ExpressionAttributeNames["#n0"]);
        Assert.Equal(DynamoStateTable.WriteTokenAttribute, update.ExpressionAttributeNames["#n1"]);
        Assert.Equal("failures", update.ExpressionAttributeNames["#n2"]);
        Assert.Equal("1", update.ExpressionAttributeValues[":v2"].N);
        Assert.Equal(Amazon.DynamoDBv2.ReturnValue.ALL_NEW, update.ReturnValues);
        Assert.Equal("code#x", update.Key["pk"].S);
    }

    [Fact]
    public async Task GetAsync_ReadsStronglyConsistent()
    {
        await Table("dynamodb").GetAsync("code#x", Now, CancellationToken.None);

        Assert.True(Assert.Single(_dynamo.Requests<GetItemRequest>()).ConsistentRead);
    }

    [Fact]
    public async Task PutAsync_WhenAccessIsDenied_ThrowsNamingTheIamAction()
    {
        _dynamo.FailNext("PutItem", FakeDynamoDb.ServiceError("AccessDeniedException", HttpStatusCode.BadRequest));

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Table("dynamodb").PutAsync(Claim("claim#a", Now), StateCondition.Absent, Now, CancellationToken.None));

        Assert.Equal("dynamodb:PutItem", e.Operation);
        Assert.Equal(AwsFailure.AccessDenied, e.Failure);
    }

    [Fact]
    public async Task UpdateAsync_WhenThrottled_ThrowsNamingTheIamAction()
    {
        _dynamo.FailNext("UpdateItem", FakeDynamoDb.ServiceError("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest));

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Table("dynamodb").UpdateAsync("code#x", new StateUpdate().Add("failures", 1), null, Now, CancellationToken.None));

        Assert.Equal("dynamodb:UpdateItem", e.Operation);
    }

    [Fact]
    public async Task AnyCall_GoesToTheConfiguredTable()
    {
        var elsewhere = new DynamoStateTable(() => _dynamo.Client, "another-table");

        await Assert.ThrowsAsync<AwsCallException>(() => elsewhere.GetAsync("code#x", Now, CancellationToken.None));
    }
}
