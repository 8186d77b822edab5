using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>A schedule; only oneTime is used.</summary>
internal sealed class ScheduleDto
{
    public OneTimeScheduleDto? OneTime { get; set; }
}
