namespace SecurityAlexa.Aws;

/// <summary>A CIS scan's result on one resource.</summary>
internal sealed class CisTargetResourceAggregationDto
{
    public string? TargetResourceId { get; set; }
    public StatusCountsDto? StatusCounts { get; set; }
    public string? TargetStatus { get; set; }
    public string? TargetStatusReason { get; set; }
}
