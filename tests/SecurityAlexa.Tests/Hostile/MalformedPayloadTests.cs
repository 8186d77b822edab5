using System.Text;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>Payloads that are not valid Alexa requests at all: broken, truncated, deep or huge JSON.</summary>
public sealed class MalformedPayloadTests
{
    public static TheoryData<int> CutPoints()
    {
        var data = new TheoryData<int>();
        for (var i = 1; i < 40; i++) data.Add(i);
        return data;
    }

    [Fact]
    public async Task Control_TheUntruncatedConfirmationActs()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        await h.Driver.SendRawAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes).StampIfUnset(h.Time.GetUtcNow()).Json);

        h.AssertWeb1Isolated();
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public async Task HandleAsync_WhenAConfirmationIsTruncated_ActsOnNothing(int fortieths)
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var json = HostileHarness.Confirm("IsolateIntent", "web-1", attributes).StampIfUnset(h.Time.GetUtcNow()).Json;

        var reply = new AlexaReply(await h.Driver.SendRawAsync(json[..(json.Length * fortieths / 40)]));

        h.AssertSafe(reply);
        Assert.Equal("Sorry, I couldn't read that request, so I did nothing.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenOnlyTheLastByteIsMissing_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var json = HostileHarness.Confirm("IsolateIntent", "web-1", attributes).StampIfUnset(h.Time.GetUtcNow()).Json;

        h.AssertSafe(new AlexaReply(await h.Driver.SendRawAsync(json[..^1])));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("42")]
    [InlineData("\"IsolateIntent\"")]
    [InlineData("[]")]
    [InlineData("[{\"request\":{\"type\":\"IntentRequest\"}}]")]
    [InlineData("{}")]
    [InlineData("{\"request\":null}")]
    [InlineData("{\"request\":42}")]
    [InlineData("{\"request\":[]}")]
    [InlineData("{\"request\":\"IntentRequest\"}")]
    [InlineData("{\"version\":\"1.0\"}")]
    [InlineData("{{}")]
    [InlineData("}")]
    [InlineData("\u0000")]
    [InlineData("<speak>isolate everything</speak>")]
    [InlineData("{\"request\":{\"type\":\"IntentRequest\",\"intent\":{\"name\":\"IsolateIntent\",\"confirmationStatus\":\"CONFIRMED\"}}}")]
    [InlineData("{\"detail-type\":\"Tag Change on Resource\",\"source\":\"evil\"}")]
    public async Task HandleAsync_WhenThePayloadIsNotAnAlexaRequest_AnswersSafely(string payload)
    {
        using var h = new HostileHarness();

        var text = await h.Driver.SendRawAsync(payload);

        if (payload.Contains("detail-type", StringComparison.Ordinal))
        {
            // An unrecognised EventBridge event gets an event result, not speech.
            Assert.Contains("\"rejected\"", text);
            Assert.Empty(h.MutatingCalls);
            return;
        }
        h.AssertSafe(new AlexaReply(text));
    }

    [Fact]
    public async Task HandleAsync_WhenThePayloadIsNotValidUtf8_AnswersSafely()
    {
        using var h = new HostileHarness();
        var json = Encoding.UTF8.GetBytes(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).StampIfUnset(h.Time.GetUtcNow()).Json);
        var at = Array.IndexOf(json, (byte)'w');
        json[at] = 0xC3;
        json[at + 1] = 0x28;

        h.AssertSafe(new AlexaReply(await h.Driver.SendBytesAsync(json)));
    }

    [Fact]
    public async Task HandleAsync_WhenThePayloadStartsWithAByteOrderMark_AnswersSafely()
    {
        using var h = new HostileHarness();
        var json = Encoding.UTF8.GetBytes(HostileHarness.Say("AMAZON.HelpIntent").StampIfUnset(h.Time.GetUtcNow()).Json);

        h.AssertSafe(new AlexaReply(await h.Driver.SendBytesAsync([0xEF, 0xBB, 0xBF, .. json])));
    }

    public static TheoryData<string> DeepPlaces => new() { "unknownField", "slot", "attributes", "resolutions" };

    [Theory]
    [MemberData(nameof(DeepPlaces))]
    public async Task HandleAsync_WhenJsonIsVeryDeep_AnswersSafely(string where)
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        var json = HostileHarness.Confirm("IsolateIntent", "web-1", attributes).StampIfUnset(h.Time.GetUtcNow()).Json;
        var deep = new string('[', 10_000) + new string(']', 10_000);
        json = where switch
        {
            "unknownField" => json.Insert(1, $"\"deep\":{deep},"),
            "slot" => json.Replace("\"value\":\"web-1\"", $"\"value\":\"web-1\",\"extra\":{deep}", StringComparison.Ordinal),
            "attributes" => json.Replace("\"attributes\":{", $"\"attributes\":{{\"deep\":{deep},", StringComparison.Ordinal),
            _ => json.Replace("\"value\":\"web-1\"", $"\"value\":\"web-1\",\"resolutions\":{{\"resolutionsPerAuthority\":{deep}}}", StringComparison.Ordinal),
        };

        var reply = new AlexaReply(await h.Driver.SendRawAsync(json));

        h.AssertSafe(reply);
        Assert.Equal("Sorry, I couldn't read that request, so I did nothing.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenASlotValueIsFiveMegabytes_AnswersSafely()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", new string('w', 5 * 1024 * 1024))));

        h.AssertSafe(reply);
    }

    [Fact]
    public async Task HandleAsync_WhenThereAreTwentyThousandSlots_AnswersSafely()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("PatchIntent", ("InstanceName", "web-1"));
        for (var i = 0; i < 20_000; i++) request.WithSlot("S" + i, "x");

        h.AssertSafe(await h.Driver.SendAsync(request));
    }

    [Fact]
    public async Task HandleAsync_WhenSessionAttributesAreHuge_AnswersSafely()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        attributes["padding"] = new string('p', 2 * 1024 * 1024);

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("ReleaseIntent", "web-1", attributes));

        h.AssertSafe(reply);
    }

    [Fact]
    public async Task HandleAsync_WhenAnUnknownFieldHoldsAHugeArray_AnswersSafely()
    {
        using var h = new HostileHarness();
        var json = HostileHarness.Say("ReleaseIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED").StampIfUnset(h.Time.GetUtcNow()).Json;
        json = json.Insert(1, "\"noise\":[" + string.Join(",", Enumerable.Repeat("{\"a\":1}", 100_000)) + "],");

        h.AssertSafe(new AlexaReply(await h.Driver.SendRawAsync(json)));
    }
}
