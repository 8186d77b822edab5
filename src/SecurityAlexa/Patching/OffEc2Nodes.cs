using SecurityAlexa.AwsContract;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// The managed nodes outside EC2 (on-premises servers and VMs, ids mi-...) and their tags. A tag-targeted SendCommand reaches
/// such a node too when it carries the tag, but EC2 never shows it, so it is never read back nor checked for Protected or
/// isolation: any of them carrying the tag, or any doubt (too many to check, a failed read), stops a tag-wide send.
/// </summary>
internal sealed record OffEc2Nodes
{
    /// <summary>At most this many nodes outside EC2 are looked at (one page); beyond it the check cannot clear any tag.</summary>
    public const int MaxChecked = 50;

    /// <summary>The tags of each node outside EC2.</summary>
    public IReadOnlyList<IReadOnlyList<(string Key, string Value)>> NodeTags { get; init; } = [];

    /// <summary>True when there were more nodes outside EC2 than could be checked.</summary>
    public bool TooMany { get; init; }

    /// <summary>The AWS operation that failed, when the check could not be made.</summary>
    public string? FailedOperation { get; init; }

    /// <summary>How many nodes outside EC2 carry the tag as a tag-targeted command matches it: the exact key, one of the values.</summary>
    public int TaggedWith(TagSelector tag) => NodeTags.Count(node => node.Any(t =>
        string.Equals(t.Key, tag.Key, StringComparison.Ordinal) && tag.Values.Contains(t.Value, StringComparer.Ordinal)));

    /// <summary>True only when the check was made in full and no node outside EC2 carries the tag.</summary>
    public bool Clears(TagSelector tag) => !TooMany && FailedOperation is null && TaggedWith(tag) == 0;

    /// <summary>
    /// Lists the nodes outside EC2 (one page) and reads the tags of each, at once. In most accounts there are none, and the
    /// check is one call. An AWS failure is kept, not thrown: it is said as such, and nothing is sent by tag.
    /// </summary>
    public static async Task<OffEc2Nodes> ReadAsync(IPatchManager patches, CancellationToken cancellationToken)
    {
        try
        {
            var (ids, more) = await patches.ListNonEc2NodesAsync(MaxChecked, cancellationToken).ConfigureAwait(false);
            if (more || ids.Count > MaxChecked) return new OffEc2Nodes { TooMany = true };
            var tags = await Task.WhenAll(ids.Select(id => patches.NonEc2NodeTagsAsync(id, cancellationToken))).ConfigureAwait(false);
            return new OffEc2Nodes { NodeTags = tags };
        }
        catch (AwsCallException e)
        {
            return new OffEc2Nodes { FailedOperation = e.Operation };
        }
    }
}
