using System.Globalization;
using System.Xml;

namespace SecurityAlexa.Bench.ColdStart;

/// <summary>
/// The size of the published binaries, and what makes up the bootstrap: the native code and data the AOT
/// compiler emitted, summed per assembly from its map file (published with IlcGenerateMapFile).
/// </summary>
internal static class BinarySize
{
    public static (long Aot, long Floor) Report(string? aotDir, string? floorDir, TextWriter output)
    {
        var aot = Size(aotDir, "bootstrap");
        var floor = Size(floorDir, "SecurityAlexa.Floor");
        if (aot == 0 && floor == 0) return (0, 0);
        output.WriteLine("### Binary size");
        output.WriteLine();
        output.WriteLine($"bootstrap {Mb(aot)} MB; floor {Mb(floor)} MB{(aot > 0 && floor > 0 ? $" ({Format.Ratio((double)aot / floor)} the floor)" : "")}.");
        var map = aotDir is null ? null : Directory.EnumerateFiles(Path.Combine(Repo.Artifacts, "build-aot"), "SecurityAlexa.map.xml", SearchOption.AllDirectories).FirstOrDefault();
        if (map is not null && aot > 0)
        {
            var byOwner = Attribute(map);
            var total = byOwner.Values.Sum();
            output.WriteLine($"What the AOT compiler put in it, by the assembly each symbol comes from ({Mb(total)} MB of code and data in the map; the rest is headers, relocations and the runtime):");
            output.WriteLine();
            var table = new Table("from", "MB", "share");
            foreach (var (owner, bytes) in byOwner.OrderByDescending(p => p.Value).Take(16))
                table.Row(owner, Mb(bytes), ((double)bytes / total).ToString("P0", CultureInfo.InvariantCulture));
            output.Write(table);
        }
        output.WriteLine();
        return (aot, floor);
    }

    private static long Size(string? dir, string file) =>
        dir is not null && File.Exists(Path.Combine(dir, file)) ? new FileInfo(Path.Combine(dir, file)).Length : 0;

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    // Node names in the map are mangled "Assembly_Namespace_Type__Member"; the part before the first '_' names the assembly.
    private static Dictionary<string, long> Attribute(string mapFile)
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        using var reader = XmlReader.Create(mapFile, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            var name = reader.GetAttribute("Name");
            var length = reader.GetAttribute("Length");
            if (name is null || !long.TryParse(length, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes)) continue;
            var owner = Owner(name);
            sums[owner] = sums.GetValueOrDefault(owner) + bytes;
        }
        return sums;
    }

    // A generic instantiation belongs to the most specific assembly it names (List<Amazon.EC2.Model.Tag> is the EC2 SDK's cost).
    private static string Owner(string symbol)
    {
        foreach (var (token, owner) in Owners)
            if (symbol.Contains(token, StringComparison.Ordinal)) return owner;
        return "runtime tables and data not named after a type";
    }

    private static readonly (string Token, string Owner)[] Owners =
    [
        ("AWSSDK_EC2", "AWSSDK.EC2"),
        ("AWSSDK_SimpleSystemsManagement", "AWSSDK.SimpleSystemsManagement"),
        ("AWSSDK_Core", "AWSSDK.Core"),
        ("SecurityAlexa", "SecurityAlexa (the skill, and generics over its types)"),
        ("System_Text_Json", "System.Text.Json"),
        ("System_Text_RegularExpressions", "System.Text.RegularExpressions"),
        ("System_Private_Xml", "System.Private.Xml"),
        ("System_Net_Http", "System.Net.Http"),
        ("System_Net_Security", "TLS and cryptography (System.Net.Security, System.Security.Cryptography, Asn1)"),
        ("System_Security_Cryptography", "TLS and cryptography (System.Net.Security, System.Security.Cryptography, Asn1)"),
        ("System_Formats_Asn1", "TLS and cryptography (System.Net.Security, System.Security.Cryptography, Asn1)"),
        ("System_Collections", "System.Collections"),
        ("System_Linq", "System.Linq"),
        ("System_Net", "System.Net (other)"),
        ("S_P_CoreLib", "System.Private.CoreLib"),
        ("S_P_", "runtime libraries (System.Private.*)"),
        ("System_", "System.* (other)"),
    ];
}
