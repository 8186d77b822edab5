using System.Globalization;
using System.Text;

namespace SecurityAlexa.Bench;

/// <summary>Order statistics of a sample: medians and spreads, because the machine is shared and noisy.</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = values.OrderBy(v => v).ToArray();
    }

    public int Count => _sorted.Length;

    public double Median => Quantile(0.5);

    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>Linear interpolation between closest ranks.</summary>
    public double Quantile(double q)
    {
        if (_sorted.Length == 0) return double.NaN;
        var pos = (_sorted.Length - 1) * q;
        var lo = (int)Math.Floor(pos);
        var hi = (int)Math.Ceiling(pos);
        return _sorted[lo] + (_sorted[hi] - _sorted[lo]) * (pos - lo);
    }
}

/// <summary>A plain-text table with right-aligned numbers, printed to the console.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Row(params object?[] cells)
    {
        _rows.Add(cells.Select(c => c switch
        {
            null => "-",
            double d => d.ToString("0.0", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        }).ToArray());
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            sb.Append("| ");
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = i < cells.Count ? cells[i] : "";
                var numeric = cell.Length > 0 && (char.IsDigit(cell[0]) || cell[0] is '-' or '~' or '≤' or '<' or '>' or '+') && i > 0;
                sb.Append(numeric ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])).Append(" | ");
            }
            sb.Length -= 1;
            sb.AppendLine();
        }
        Line(headers);
        sb.Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 2))).AppendLine("|");
        foreach (var r in _rows) Line(r);
        return sb.ToString();
    }
}

/// <summary>Formatting helpers shared by the sections.</summary>
internal static class Format
{
    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Ratio(double r) => double.IsFinite(r) ? r.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";

    public static string Us(double ns) => (ns / 1000).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Kb(long bytes) => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Pass(bool ok) => ok ? "met" : "MISSED";
}
