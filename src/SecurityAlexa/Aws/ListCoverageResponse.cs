using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>ListCoverage response.</summary>
internal sealed class ListCoverageResponse
{
    public List<CoveredResourceDto>? CoveredResources { get; set; }
    public string? NextToken { get; set; }
}
