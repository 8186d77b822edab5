namespace SecurityAlexa.Aws;

/// <summary>The one-time schedule, an empty object.</summary>
internal sealed class OneTimeScheduleDto;
