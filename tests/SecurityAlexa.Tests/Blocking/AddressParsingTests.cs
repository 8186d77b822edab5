using SecurityAlexa.Blocking;

namespace SecurityAlexa.Tests.Blocking;

/// <summary>Spoken addresses are read strictly, and every refusal of §2 has its own reason.</summary>
public sealed class AddressParsingTests
{
    [Theory]
    [InlineData("two oh three dot zero dot one one three dot five", "203.0.113.5")]
    [InlineData("two zero three point zero point one one three point five", "203.0.113.5")]
    [InlineData("203.0.113.5", "203.0.113.5")]
    [InlineData("203 dot 0 dot 113 dot 5", "203.0.113.5")]
    [InlineData("two hundred three dot zero dot one hundred thirteen dot five", "203.0.113.5")]
    [InlineData("one nine eight dot five one dot one hundred dot zero slash twenty four", "198.51.100.0/24")]
    [InlineData("198.51.100.0/24", "198.51.100.0/24")]
    [InlineData("Two Oh Three Dot Zero Dot One One Three Dot Five", "203.0.113.5")]
    [InlineData("２０３．０．１１３．５", "203.0.113.5")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:DB8:: / 48", "2001:db8::/48")]
    public void Read_WhenTheWordsAreOneAddress_WritesIt(string heard, string written) => Assert.Equal(written, SpokenAddress.Read(heard));

    [Theory]
    [InlineData("")]
    [InlineData("the top one")]
    [InlineData("two oh three dot zero dot one one three")]
    [InlineData("two oh three dot zero dot one one three dot five dot six")]
    [InlineData("two oh three dot zero dot one one three dot banana")]
    [InlineData("one two three four dot zero dot zero dot one")]
    [InlineData("three hundred dot zero dot zero dot one")]
    [InlineData("203.0.113.5 slash 33")]
    [InlineData("203.0.113.5 slash 24 slash 8")]
    [InlineData("two oh three dot dot one one three dot five")]
    [InlineData("hundred dot zero dot zero dot one")]
    public void Read_WhenTheWordsAreNotExactlyAnAddress_IsNull(string heard) => Assert.Null(SpokenAddress.Read(heard));

    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5/32", "203.0.113.5")]
    [InlineData("198.51.100.0/24", "198.51.100.0/24", "198.51.100.0/24")]
    [InlineData("2001:db8::1", "2001:db8::1/128", "2001:db8::1")]
    [InlineData("2001:db8:1::/48", "2001:db8:1::/48", "2001:db8:1::/48")]
    public void Parse_WhenNarrowEnough_GivesTheCidrAndWhatToSay(string written, string cidr, string spoken)
    {
        var (block, refusal) = AddressBlock.Parse(written);

        Assert.Null(refusal);
        Assert.Equal(cidr, block!.Cidr);
        Assert.Equal(spoken, block.Spoken);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1.2")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("256.0.0.1")]
    [InlineData("203.0.113.5/24")]
    [InlineData("203.0.113.0/33")]
    [InlineData("203.0.113.0/")]
    [InlineData("203.0.113.0/x")]
    [InlineData("fe80::1%eth0")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("web-1")]
    [InlineData("2001:db8::1/129")]
    public void Parse_WhenNotAValidAddressOrCidr_RefusesAsNotAnAddress(string? written) =>
        Assert.Equal(BlockRefusal.NotAnAddress, AddressBlock.Parse(written).Refusal);

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void Parse_WhenEverything_RefusesAsEverything(string written) =>
        Assert.Equal(BlockRefusal.Everything, AddressBlock.Parse(written).Refusal);

    [Theory]
    [InlineData("203.0.112.0/23")]
    [InlineData("10.0.0.0/8")]
    [InlineData("128.0.0.0/1")]
    [InlineData("2001:db8::/47")]
    [InlineData("2001::/16")]
    public void Parse_WhenWiderThanASlash24OrSlash48_RefusesAsTooWide(string written) =>
        Assert.Equal(BlockRefusal.TooWide, AddressBlock.Parse(written).Refusal);

    [Theory]
    [InlineData("10.0.1.11", true)]
    [InlineData("10.0.255.0/24", true)]
    [InlineData("10.1.0.5", false)]
    [InlineData("203.0.113.5", false)]
    [InlineData("2600:1f18:4a3:6d00::1", true)]
    [InlineData("2600:1f18:4a3:6e00::1", false)]
    public void Overlaps_ComparesWithTheVpcRangesOfTheSameFamily(string written, bool inside) =>
        Assert.Equal(inside, AddressBlock.Parse(written).Block!.Overlaps(["10.0.0.0/16", "2600:1f18:4a3:6d00::/56"]));
}
