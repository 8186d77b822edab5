using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>The one-time schedule, an empty object.</summary>
internal sealed class OneTimeScheduleDto;
