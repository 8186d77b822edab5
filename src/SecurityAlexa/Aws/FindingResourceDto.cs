using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>A resource a finding is about.</summary>
internal sealed class FindingResourceDto
{
    public string? Id { get; set; }
    public string? Type { get; set; }
}
