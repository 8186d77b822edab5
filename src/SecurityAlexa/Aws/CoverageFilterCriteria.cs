using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>Coverage filters.</summary>
internal sealed class CoverageFilterCriteria
{
    public List<CoverageMapFilter>? Ec2InstanceTags { get; set; }
    public List<StringFilter>? ResourceType { get; set; }
}
