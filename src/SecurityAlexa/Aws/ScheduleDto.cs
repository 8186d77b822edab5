namespace SecurityAlexa.Aws;

/// <summary>A schedule; only oneTime is used.</summary>
internal sealed class ScheduleDto
{
    public OneTimeScheduleDto? OneTime { get; set; }
}
