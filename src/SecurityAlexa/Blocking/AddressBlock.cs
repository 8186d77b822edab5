using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SecurityAlexa.Blocking;

/// <summary>
/// An address range the skill may deny in a network ACL: a valid IPv4 or IPv6 address or CIDR, no wider than
/// a /24 or a /48. A single address is a /32 or a /128.
/// </summary>
internal sealed partial record AddressBlock(IPNetwork Network)
{
    /// <summary>The widest IPv4 block (a /24: 256 addresses).</summary>
    public const int WidestIpv4Prefix = 24;

    /// <summary>The widest IPv6 block (a /48, one site's allocation).</summary>
    public const int WidestIpv6Prefix = 48;

    /// <summary>True for IPv6.</summary>
    public bool IsIpv6 => Network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The CIDR as the ACL entry takes it.</summary>
    public string Cidr => Network.ToString();

    /// <summary>What to say: the bare address for a single one, else the CIDR.</summary>
    public string Spoken => Network.PrefixLength == (IsIpv6 ? 128 : 32) ? Network.BaseAddress.ToString() : Cidr;

    /// <summary>Reads a written address or CIDR; the refusal when it may not be blocked.</summary>
    public static (AddressBlock? Block, BlockRefusal? Refusal) Parse(string? written)
    {
        if (string.IsNullOrWhiteSpace(written)) return (null, BlockRefusal.NotAnAddress);
        var parts = written.Trim().Split('/');
        if (parts.Length > 2) return (null, BlockRefusal.NotAnAddress);
        var text = parts[0];
        // IPAddress.TryParse also takes "1.2" and "0x7f.1": only the dotted quad and real IPv6 text are addresses here.
        var isV4 = DottedQuad().IsMatch(text);
        var isV6 = !isV4 && text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal)
            && !text.Contains('.', StringComparison.Ordinal);
        if (!(isV4 || isV6) || !IPAddress.TryParse(text, out var address)) return (null, BlockRefusal.NotAnAddress);
        if (isV4 && text.Split('.').Any(o => int.Parse(o, CultureInfo.InvariantCulture) > 255)) return (null, BlockRefusal.NotAnAddress);
        var full = isV4 ? 32 : 128;
        var prefix = full;
        if (parts.Length == 2)
        {
            if (parts[1].Length is 0 or > 3 || !parts[1].All(char.IsAsciiDigit)) return (null, BlockRefusal.NotAnAddress);
            prefix = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (prefix > full) return (null, BlockRefusal.NotAnAddress);
        }
        // A CIDR with host bits set ("203.0.113.5/24") is ambiguous: which was meant, the address or the range?
        if (!Masked(address, prefix).Equals(address)) return (null, BlockRefusal.NotAnAddress);
        if (prefix == 0) return (null, BlockRefusal.Everything);
        if (prefix < (isV4 ? WidestIpv4Prefix : WidestIpv6Prefix)) return (null, BlockRefusal.TooWide);
        return (new AddressBlock(new IPNetwork(address, prefix)), null);
    }

    /// <summary>True when the block and any of the ranges share an address (same family only).</summary>
    public bool Overlaps(IEnumerable<string> cidrs) => cidrs.Any(c => IPNetwork.TryParse(c, out var range)
        && range.BaseAddress.AddressFamily == Network.BaseAddress.AddressFamily
        && (range.Contains(Network.BaseAddress) || Network.Contains(range.BaseAddress)));

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex DottedQuad();
}
