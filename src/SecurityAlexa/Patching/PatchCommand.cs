namespace SecurityAlexa.Patching;

/// <summary>A command this skill sent, as ListCommands reports it.</summary>
internal sealed record PatchCommand(
    string CommandId,
    string? Comment,
    string Status,
    DateTimeOffset? RequestedAt,
    int TargetCount,
    int CompletedCount,
    int ErrorCount,
    int DeliveryTimedOutCount = 0);
