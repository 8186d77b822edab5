namespace SecurityAlexa.Accounts;

/// <summary>
/// The spoken names of the commercial regions, in English and Japanese: what a read-back says ("in Ireland") and
/// what "isolate web-1 in Frankfurt" resolves from. The interaction models' REGION type holds the same names.
/// </summary>
internal static class RegionNames
{
    /// <summary>One region: its code, its English name and other English names, and its Japanese name.</summary>
    internal sealed record Region(string Code, string English, string[] EnglishSynonyms, string Japanese);

    /// <summary>Every commercial region.</summary>
    public static IReadOnlyList<Region> All { get; } =
    [
        new("us-east-1", "North Virginia", ["Northern Virginia", "Virginia", "US East"], "バージニア北部"),
        new("us-east-2", "Ohio", ["US East Ohio"], "オハイオ"),
        new("us-west-1", "North California", ["Northern California", "California"], "北カリフォルニア"),
        new("us-west-2", "Oregon", ["US West", "US West Oregon"], "オレゴン"),
        new("af-south-1", "Cape Town", ["Africa", "South Africa"], "ケープタウン"),
        new("ap-east-1", "Hong Kong", [], "香港"),
        new("ap-east-2", "Taipei", ["Taiwan"], "台北"),
        new("ap-south-1", "Mumbai", ["India"], "ムンバイ"),
        new("ap-south-2", "Hyderabad", [], "ハイデラバード"),
        new("ap-southeast-1", "Singapore", [], "シンガポール"),
        new("ap-southeast-2", "Sydney", [], "シドニー"),
        new("ap-southeast-3", "Jakarta", ["Indonesia"], "ジャカルタ"),
        new("ap-southeast-4", "Melbourne", [], "メルボルン"),
        new("ap-southeast-5", "Malaysia", ["Kuala Lumpur"], "マレーシア"),
        new("ap-southeast-6", "New Zealand", ["Auckland"], "ニュージーランド"),
        new("ap-southeast-7", "Thailand", ["Bangkok"], "タイ"),
        new("ap-northeast-1", "Tokyo", ["Japan"], "東京"),
        new("ap-northeast-2", "Seoul", ["Korea"], "ソウル"),
        new("ap-northeast-3", "Osaka", [], "大阪"),
        new("ca-central-1", "Canada Central", ["Canada", "Montreal"], "カナダ中部"),
        new("ca-west-1", "Calgary", ["Canada West"], "カルガリー"),
        new("eu-central-1", "Frankfurt", ["Germany"], "フランクフルト"),
        new("eu-central-2", "Zurich", ["Switzerland"], "チューリッヒ"),
        new("eu-west-1", "Ireland", ["Dublin"], "アイルランド"),
        new("eu-west-2", "London", ["United Kingdom"], "ロンドン"),
        new("eu-west-3", "Paris", ["France"], "パリ"),
        new("eu-south-1", "Milan", ["Italy"], "ミラノ"),
        new("eu-south-2", "Spain", ["Madrid"], "スペイン"),
        new("eu-north-1", "Stockholm", ["Sweden"], "ストックホルム"),
        new("il-central-1", "Tel Aviv", ["Israel"], "テルアビブ"),
        new("me-south-1", "Bahrain", [], "バーレーン"),
        new("me-central-1", "UAE", ["United Arab Emirates", "Dubai"], "アラブ首長国連邦"),
        new("mx-central-1", "Mexico", ["Mexico Central"], "メキシコ"),
        new("sa-east-1", "São Paulo", ["Sao Paulo", "Brazil"], "サンパウロ"),
    ];

    private static readonly string[] Digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>The code as it is said: "eu west one".</summary>
    public static string SpokenCode(string code) =>
        string.Join(' ', code.Split('-').Select(p => p.Length == 1 && char.IsAsciiDigit(p[0]) ? Digits[p[0] - '0'] : p));

    /// <summary>The region's name in the locale ("Ireland", "アイルランド"); the code itself for a region not in the list.</summary>
    public static string Name(string code, string locale)
    {
        var region = All.FirstOrDefault(r => r.Code == code);
        if (region is null) return code;
        return locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? region.Japanese : region.English;
    }

    /// <summary>The code for what was heard: a code ("eu-west-1", "eu west one"), a name or a synonym; null when none fits.</summary>
    public static string? Find(string heard)
    {
        var said = Normalize(heard);
        if (said.Length == 0) return null;
        foreach (var region in All)
        {
            if (said == Normalize(region.Code) || said == Normalize(SpokenCode(region.Code)) || said == Normalize(region.English)
                || said == Normalize(region.Japanese) || region.EnglishSynonyms.Any(s => said == Normalize(s)))
                return region.Code;
        }
        return null;
    }

    // Lower case letters and digits only, with "one" and "1" alike and "region"/"リージョン" dropped.
    private static string Normalize(string text)
    {
        var words = text.ToLowerInvariant().Replace("リージョン", "", StringComparison.Ordinal)
            .Split([' ', '-', '_', '.', ','], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w != "region" && w != "the")
            .Select(w => Array.IndexOf(Digits, w) is var d and >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : w);
        return new string(string.Concat(words).Where(char.IsLetterOrDigit).ToArray()).Replace("ã", "a", StringComparison.Ordinal);
    }
}
