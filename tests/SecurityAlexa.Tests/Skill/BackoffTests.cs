using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Skill;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(0, 100, 300)]
    [InlineData(1, 200, 600)]
    [InlineData(2, 400, 1200)]
    public void Delay_DoublesPerRetry_WithJitterBetweenHalfAndOneAndAHalf(int retry, double low, double high)
    {
        var delays = Enumerable.Range(0, 500)
            .Select(_ => Backoff.Delay(TimeSpan.FromMilliseconds(200), retry, TimeSpan.FromSeconds(10)).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, low, high));
        // Jittered: clients failing together do not all wait the same.
        Assert.True(delays.Distinct().Count() > 100);
    }

    [Fact]
    public void Delay_NeverPassesTheCap_EvenAfterManyRetries()
    {
        Assert.All(Enumerable.Range(0, 64), retry =>
            Assert.InRange(Backoff.Delay(TimeSpan.FromMilliseconds(200), retry, TimeSpan.FromSeconds(2)), TimeSpan.Zero,
                TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Delay_WhenTheFirstDelayIsZero_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(TimeSpan.Zero, 3, TimeSpan.FromSeconds(2)));
    }
}
