using System.Text.RegularExpressions;

namespace SecurityAlexa.Skill;

/// <summary>
/// The work queue as <c>WORK_QUEUE_URL</c> names it (<c>https://sqs.{region}.amazonaws.com/{account}/{name}</c>):
/// the account and queue name every delivered message and queued event must come from.
/// </summary>
internal sealed partial record WorkQueueAddress(string Url, string Account, string Name)
{
    /// <summary>The address in the URL, or null when it is missing or not a queue URL.</summary>
    public static WorkQueueAddress? From(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return null;
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        return segments.Length == 2 && AccountId().IsMatch(segments[0]) && QueueName().IsMatch(segments[1])
            ? new WorkQueueAddress(url.Trim(), segments[0], segments[1])
            : null;
    }

    /// <summary>True when <paramref name="arn"/> (<c>arn:{partition}:sqs:{region}:{account}:{name}</c>) is this queue.</summary>
    public bool IsQueue(string? arn)
    {
        var parts = arn?.Split(':');
        return parts is { Length: 6 } && parts[0] == "arn" && parts[2] == "sqs" && parts[4] == Account && parts[5] == Name;
    }

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountId();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}(\\.fifo)?$")]
    private static partial Regex QueueName();
}
