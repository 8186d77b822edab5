using SecurityAlexa.Scanning;

namespace SecurityAlexa.Tests.Scanning;

public sealed class EnableScanningHandlerTests
{
    [Fact]
    public async Task Enable_WhenAlreadyOn_SaysSoAndCallsNothing()
    {
        var c = new ScanConversation();

        var reply = await c.Say("EnableScanningIntent");

        Assert.Equal("EC2 vulnerability scanning is already on in this account.", reply.Speech);
        Assert.Equal(0, c.Inspector.EnableCalls);
    }

    [Fact]
    public async Task Enable_WhenOff_ReadsBackTheCostWithoutSpeakingTheAccountIdAndWaits()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;

        var reply = await c.Say("EnableScanningIntent");

        Assert.Equal("I'll turn on Amazon Inspector vulnerability scanning for the EC2 instances in this account. "
            + "Inspector charges for each instance it scans. Shall I turn it on?", reply.Speech);
        Assert.DoesNotContain("111122223333", reply.Ssml);
        Assert.NotNull(reply.Directive("Dialog.ConfirmIntent"));
        Assert.Equal(0, c.Inspector.EnableCalls);
    }

    [Fact]
    public async Task Enable_WhenConfirmed_TurnsItOnOnce()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;
        await c.Say("EnableScanningIntent");

        var reply = await c.Answer("EnableScanningIntent", "CONFIRMED");

        Assert.Equal("Done. Amazon Inspector is turning on EC2 scanning. The first results can take a few minutes to appear.", reply.Speech);
        Assert.Equal(1, c.Inspector.EnableCalls);
    }

    [Fact]
    public async Task Enable_WhenInspectorRefuses_SaysWhy()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;
        c.Inspector.AfterEnable = ScanningState.Unknown;
        await c.Say("EnableScanningIntent");

        var reply = await c.Answer("EnableScanningIntent", "CONFIRMED");

        Assert.Equal("Inspector couldn't turn on EC2 scanning. It said: ACCESS_DENIED.", reply.Speech);
    }

    [Fact]
    public async Task Enable_WhenDenied_ChangesNothing()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;
        await c.Say("EnableScanningIntent");

        var reply = await c.Answer("EnableScanningIntent", "DENIED");

        Assert.Equal("OK, I left vulnerability scanning off.", reply.Speech);
        Assert.Equal(0, c.Inspector.EnableCalls);
    }

    [Fact]
    public async Task Enable_WhenConfirmedWithoutAReadBack_ReadsBackInsteadOfActing()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;

        var reply = await c.Answer("EnableScanningIntent", "CONFIRMED");

        Assert.NotNull(reply.Directive("Dialog.ConfirmIntent"));
        Assert.Equal(0, c.Inspector.EnableCalls);
    }

    [Fact]
    public async Task Enable_WhenSomeoneTurnedItOnMeanwhile_DoesNotEnableAgain()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;
        await c.Say("EnableScanningIntent");
        c.Inspector.Ec2 = ScanningState.Enabled;

        var reply = await c.Answer("EnableScanningIntent", "CONFIRMED");

        Assert.Equal("EC2 vulnerability scanning is already on in this account.", reply.Speech);
        Assert.Equal(0, c.Inspector.EnableCalls);
    }
}
