using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tests.Shipping;

/// <summary>Intents echoed back in dialog directives take the shape of Amazon's response model (ask-sdk-model).</summary>
public sealed class ResponseModelTests
{
    private static Intent HeardIntent() => new()
    {
        Name = "PatchIntent",
        Slots = new Dictionary<string, Slot>
        {
            ["Selection"] = new() { Name = "Selection", Value = "all of them", Source = "USER" },
            ["InstanceName"] = new() { Name = "InstanceName" },
        },
    };

    public static TheoryData<string> DirectiveKinds => new() { "elicit", "confirm", "delegate" };

    [Theory]
    [MemberData(nameof(DirectiveKinds))]
    public void Reply_WhenItEchoesTheIntent_DropsSlotSourceAndFillsConfirmationStatus(string kind)
    {
        var reply = kind switch
        {
            "elicit" => Reply.ElicitSlot(Spoken.Empty, Spoken.Empty, "Selection", HeardIntent()),
            "confirm" => Reply.ConfirmIntent(Spoken.Empty, Spoken.Empty, HeardIntent()),
            _ => Reply.Delegate(HeardIntent()),
        };
        var intent = reply.Directives.Single() switch
        {
            DialogElicitSlot d => d.UpdatedIntent,
            DialogConfirmIntent d => d.UpdatedIntent,
            DialogDelegate d => d.UpdatedIntent,
            _ => null,
        };

        Assert.NotNull(intent);
        Assert.Equal("NONE", intent.ConfirmationStatus);
        Assert.All(intent.Slots!.Values, s => Assert.Null(s.Source));
        Assert.All(intent.Slots!.Values, s => Assert.Equal("NONE", s.ConfirmationStatus));
        Assert.Equal("all of them", intent.Slots!["Selection"].Value);
    }
}
