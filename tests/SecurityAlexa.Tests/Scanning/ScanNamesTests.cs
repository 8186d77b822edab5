using System.Text.Json;
using SecurityAlexa.Aws;
using SecurityAlexa.Scanning;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Tests.Scanning;

public sealed class ScanNamesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 10, 28, 5, TimeSpan.Zero);

    [Fact]
    public void For_NamesTheTagAndTheUtcMoment()
    {
        Assert.Equal("SecurityAlexa-Environment-prod-20261129T102805Z", ScanNames.For(new TagSelector("Environment", "prod"), At.ToOffset(TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData("SecurityAlexa-Environment-prod-20261129T102805Z", true)]
    [InlineData("SecurityAlexa-Environment-prod-eu-20261129T102805Z", false)]
    [InlineData("SecurityAlexa-Environment-prod-latest", false)]
    [InlineData("Nightly-Environment-prod-20261129T102805Z", false)]
    [InlineData(null, false)]
    public void IsScanOf_AcceptsOnlyThisTagsNamePlusAStamp(string? name, bool expected) =>
        Assert.Equal(expected, ScanNames.IsScanOf(name, new TagSelector("Environment", "prod")));

    [Fact]
    public void For_WhenTheTagIsVeryLong_StaysWithin128CharactersAndKeepsTheStamp()
    {
        var name = ScanNames.For(new TagSelector("Team", new string('x', 200)), At);

        Assert.Equal(128, name.Length);
        Assert.EndsWith("20261129T102805Z", name);
        Assert.True(ScanNames.IsOurs(name));
    }

    [Theory]
    [InlineData("1795948080", 2026, 10, 28, 0)]
    [InlineData("1795948080.5", 2026, 10, 28, 500)]
    [InlineData("\"2026-11-29T10:28:00Z\"", 2026, 10, 28, 0)]
    public void AwsTimestamp_ReadsEpochSecondsAndIsoStrings(string json, int year, int hour, int minute, int millis)
    {
        var scan = JsonSerializer.Deserialize("{\"scanArn\":\"a\",\"scanDate\":" + json + "}", Inspector2JsonContext.Default.CisScanDto)!;

        Assert.Equal(new DateTimeOffset(year, 11, 29, hour, minute, 0, millis, TimeSpan.Zero), scan.ScanDate);
    }
}
