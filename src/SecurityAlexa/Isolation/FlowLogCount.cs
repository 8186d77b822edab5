namespace SecurityAlexa.Isolation;

/// <summary>A query's state and, once complete, the number of REJECT records it counted.</summary>
internal sealed record FlowLogCount(FlowLogQueryState State, long Rejected = 0);
