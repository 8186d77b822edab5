using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>ListCoverageStatistics response.</summary>
internal sealed class ListCoverageStatisticsResponse
{
    public List<CountsDto>? CountsByGroup { get; set; }
    public long? TotalCounts { get; set; }
    public string? NextToken { get; set; }
}
