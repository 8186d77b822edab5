namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// A forged ARN (or a path) in the instance slot is not read back at all: only that no instance has that name. Masking the
/// account alone would still read out the region and the resource path someone put there.
/// </summary>
public sealed class ForgedArnReadBackTests
{
    [Theory]
    [InlineData("arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60001")]
    [InlineData("arn:aws:iam::111122223333:role/OrganizationAccountAccessRole")]
    [InlineData("../../etc/passwd")]
    public async Task Isolate_WhenTheInstanceSlotHoldsAnArnOrAPath_SaysNoSuchNameWithoutReadingItBack(string heard)
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", heard)));

        h.AssertSafe(reply);
        Assert.StartsWith("I found no instance by that name.", reply.Speech);
        foreach (var part in new[] { "arn", "us-east-1", "instance/", "role/", "Organization", "etc", "passwd", "the account" })
            Assert.DoesNotContain(part, reply.Speech, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Isolate_WhenTheInstanceSlotHoldsAnOrdinaryUnknownName_StillRepeatsIt()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web nine")));

        Assert.StartsWith("I found no instance called web nine.", reply.Speech);
    }
}
