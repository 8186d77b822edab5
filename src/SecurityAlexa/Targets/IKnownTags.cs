namespace SecurityAlexa.Targets;

/// <summary>The account's instance tags: the resolver's short-lived cache, else one DescribeTags read.</summary>
internal interface IKnownTags
{
    /// <summary>The account's instance tags.</summary>
    Task<TagIndex> TagsAsync(CancellationToken cancellationToken);
}
