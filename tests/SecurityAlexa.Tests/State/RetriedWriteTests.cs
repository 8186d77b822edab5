using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.State;

namespace SecurityAlexa.Tests.State;

/// <summary>
/// The SDK retries a write whose answer was lost; when the first attempt landed, the retry fails its own condition.
/// DynamoDB then returns the item as it is (ALL_OLD): the write's own token in it means the write succeeded, and it
/// must not be reported as lost to someone else (a claim refused as a duplicate, a record as busy).
/// </summary>
public sealed class RetriedWriteTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private readonly Mock<IAmazonDynamoDB> _dynamo = new(MockBehavior.Strict);

    private DynamoStateTable Table => new(() => _dynamo.Object, "team-state");

    private static StateItem Claim() => new("claim#requests#ab", new Dictionary<string, StateValue>
    {
        ["kind"] = StateValue.Of("claim"),
        ["expiresAt"] = StateValue.Of(Now.AddMinutes(5)),
    });

    // The retry of a put that landed: DynamoDB refuses it and returns the item the first attempt wrote.
    private void PutLandedThenRetried(bool ours)
    {
        _dynamo.Setup(d => d.PutItemAsync(It.IsAny<PutItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((PutItemRequest r, CancellationToken _) => Task.FromException<PutItemResponse>(new ConditionalCheckFailedException("failed")
            {
                Item = new Dictionary<string, AttributeValue>(r.Item)
                {
                    [DynamoStateTable.WriteTokenAttribute] = ours ? r.Item[DynamoStateTable.WriteTokenAttribute] : new AttributeValue { S = "another" },
                },
            }));
    }

    [Fact]
    public async Task PutAsync_WhenTheConditionFailsOnItsOwnEarlierAttempt_IsASuccess()
    {
        PutLandedThenRetried(ours: true);

        var written = await Table.PutAsync(Claim(), StateCondition.Absent, Now, CancellationToken.None);

        Assert.True(written);
        _dynamo.Verify(d => d.PutItemAsync(It.Is<PutItemRequest>(r => r.ReturnValuesOnConditionCheckFailure == ReturnValuesOnConditionCheckFailure.ALL_OLD
            && r.Item[DynamoStateTable.WriteTokenAttribute].S.Length == 32), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PutAsync_WhenSomeoneElsesItemIsThere_IsRefused()
    {
        PutLandedThenRetried(ours: false);

        Assert.False(await Table.PutAsync(Claim(), StateCondition.Absent, Now, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_WhenDynamoReturnsNoItemWithTheFailure_IsRefused()
    {
        _dynamo.Setup(d => d.PutItemAsync(It.IsAny<PutItemRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConditionalCheckFailedException("failed"));

        Assert.False(await Table.PutAsync(Claim(), StateCondition.Absent, Now, CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UpdateAsync_WhenTheConditionFails_IsOursOnlyWithItsOwnToken(bool ours)
    {
        UpdateItemRequest? sent = null;
        _dynamo.Setup(d => d.UpdateItemAsync(It.IsAny<UpdateItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((UpdateItemRequest r, CancellationToken _) =>
            {
                sent = r;
                // The token is the value of the SET that names the token attribute.
                var name = r.ExpressionAttributeNames.Single(n => n.Value == DynamoStateTable.WriteTokenAttribute).Key;
                var value = r.UpdateExpression[(r.UpdateExpression.IndexOf(name + " = ", StringComparison.Ordinal) + name.Length + 3)..]
                    .Split(',', ' ')[0];
                return Task.FromException<UpdateItemResponse>(new ConditionalCheckFailedException("failed")
                {
                    Item = new Dictionary<string, AttributeValue>
                    {
                        ["pk"] = new() { S = "isolation#i-0a1b2c3d4e5f60001" },
                        ["state"] = new() { S = "isolating" },
                        ["version"] = new() { N = "1" },
                        [DynamoStateTable.WriteTokenAttribute] = ours ? r.ExpressionAttributeValues[value] : new AttributeValue { S = "another" },
                    },
                });
            });

        var after = await Table.UpdateAsync("isolation#i-0a1b2c3d4e5f60001",
            new StateUpdate().Set("state", StateValue.Of("isolating")).Add("version", 1), StateCondition.Absent, Now, CancellationToken.None);

        Assert.Equal(ReturnValuesOnConditionCheckFailure.ALL_OLD, sent?.ReturnValuesOnConditionCheckFailure);
        if (ours)
        {
            Assert.Equal("isolating", after?.Text("state"));
            Assert.Equal(1, after?.Version);
            // The token is the adapter's, not the item's: callers never see it.
            Assert.DoesNotContain(DynamoStateTable.WriteTokenAttribute, after!.Attributes.Keys);
        }
        else
        {
            Assert.Null(after);
        }
    }
}
