namespace SecurityAlexa.Targets;

/// <summary>
/// Resolves spoken tags and names against the tags that really exist in the account. The tag list
/// (DescribeTags, every page) is cached briefly per container; instances are then read with
/// server-side filters, running only unless the query asks otherwise. Every read is bounded per turn
/// (<see cref="MaxInstancePages"/>, <see cref="MaxTagPages"/>): a tag that selects more than that is not
/// acted on, and the answer says "at least" and asks to narrow it (issue 13 §8).
/// </summary>
internal sealed class TargetResolver : ITargetResolver, IKnownTags
{
    /// <summary>How long the account's tag list is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    // EC2 accepts at most 200 values in one filter.
    private const int IdsPerCall = 200;
    private const int MinIdEnding = 4;

    private static readonly IReadOnlyList<string> RunningOnly = ["running"];
    private static readonly IReadOnlyList<string> AnyLiveState = ["pending", "running", "stopping", "stopped"];
    private static readonly HashSet<string> NameFillers =
        new(StringComparer.Ordinal) { "the", "instance", "ending", "end", "ends", "in", "with", "that", "id", "named", "called" };

    private readonly IInstanceDirectory _directory;
    private readonly TimeProvider _time;
    private CachedTags? _cache;

    public TargetResolver(IInstanceDirectory directory, TimeProvider? time = null, int maxInstancePages = DefaultMaxInstancePages,
        int maxTagPages = DefaultMaxTagPages)
    {
        _directory = directory;
        _time = time ?? TimeProvider.System;
        MaxInstancePages = Math.Max(1, maxInstancePages);
        MaxTagPages = Math.Max(1, maxTagPages);
    }

    /// <summary>DescribeInstances pages read for one resolution by default: 10 pages of up to 1,000, the 10,000 instances
    /// the skill is built to handle in a turn (docs/performance.md).</summary>
    public const int DefaultMaxInstancePages = 10;

    /// <summary>DescribeTags pages read for the tag list by default: 40 pages of up to 1,000 tags (cached for a minute).</summary>
    public const int DefaultMaxTagPages = 40;

    /// <summary>The most DescribeInstances pages one resolution reads; beyond it the request is not acted on.</summary>
    public int MaxInstancePages { get; }

    /// <summary>The most DescribeTags pages read for the tag list; beyond it the list is partial.</summary>
    public int MaxTagPages { get; }

    /// <inheritdoc />
    public async Task<TargetResult> ResolveAsync(TargetQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return await ResolveWithinBoundsAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (TooManyToReadException e)
        {
            var heard = query.TagValue ?? query.TagKey ?? query.Name ?? "";
            return new TargetResult.NotFound(NotFoundKind.TooManyToRead, e.Description ?? heard, null, []) { AtLeast = e.AtLeast };
        }
    }

    private async Task<TargetResult> ResolveWithinBoundsAsync(TargetQuery query, CancellationToken cancellationToken)
    {
        if (query.IsEmpty) return new TargetResult.NotFound(NotFoundKind.NothingNamed, "", null, []);
        var index = await TagsAsync(cancellationToken).ConfigureAwait(false);

        if (query.TagKey is null && query.TagValue is null)
            return await ResolveNameAsync(query.Name!, index, query.IncludeStopped, cancellationToken).ConfigureAwait(false);

        var tag = ResolveTag(query, index);
        // With a partial tag list, "no such tag" may only mean "not read": say so rather than deny it exists.
        if (tag.Result is TargetResult.NotFound && index.Partial) return new TargetResult.NotFound(NotFoundKind.TooManyToRead,
            query.TagValue ?? query.TagKey ?? "", null, []);
        if (tag.Result is { } failed) return failed;
        var selector = tag.Selector!;
        if (selector.Key == TagIndex.NameKey && query.TagKey is null)
            return await ResolveNameAsync(query.TagValue!, index, query.IncludeStopped, cancellationToken).ConfigureAwait(false);

        var filter = new InstanceFilter { TagKey = selector.Key, TagValues = selector.Values, States = States(query.IncludeStopped) };
        var instances = await AllAsync(filter, cancellationToken, selector.Key + " " + selector.Value).ConfigureAwait(false);
        var heard = query.TagValue ?? query.TagKey ?? "";
        if (query.Name is { } name)
        {
            instances = Closest(name, instances);
            if (instances.Count == 0) return new TargetResult.NotFound(NotFoundKind.NoSuchInstance, name, selector.Key, []);
        }
        if (instances.Count == 0)
        {
            var tagged = index.InstancesWith(selector.Key, selector.Values).Select(id => index.NameOf(id) ?? id).ToList();
            return new TargetResult.NotFound(NotFoundKind.NoRunningInstances, heard, selector.Key, tagged);
        }
        var description = selector.Key + " " + selector.Value;
        return new TargetResult.Found(new TargetSelection(description, selector, Ordered(instances)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceInfo>> DescribeAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        var found = new List<InstanceInfo>();
        foreach (var chunk in instanceIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerCall))
        {
            var filter = new InstanceFilter { InstanceIds = chunk, States = null };
            // The caller's ids bound this read already (200 ids a page), so it has no page bound of its own.
            found.AddRange(await AllAsync(filter, cancellationToken, bounded: false).ConfigureAwait(false));
        }
        // Keep the caller's order: it is the order the user heard them in.
        var order = instanceIds.Select((id, i) => (id, i)).GroupBy(p => p.id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        return found.DistinctBy(i => i.Id).OrderBy(i => order.GetValueOrDefault(i.Id, int.MaxValue)).ToList();
    }

    /// <summary>The account's instance tags, from the cache when it is under a minute old.</summary>
    public async Task<TagIndex> TagsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        // One reference swap, so concurrent requests (the local server) never see half an update.
        if (Volatile.Read(ref _cache) is { } cached && now - cached.At < CacheFor) return cached.Index;
        var tags = new List<InstanceTag>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _directory.ListInstanceTagsAsync(token, cancellationToken).ConfigureAwait(false);
            tags.AddRange(page.Items);
            token = page.NextToken;
        }
        while (token is not null && ++pages < MaxTagPages);
        var index = new TagIndex(tags) { Partial = token is not null };
        Volatile.Write(ref _cache, new CachedTags(now, index));
        return index;
    }

    private static IReadOnlyList<string>? States(bool includeStopped) => includeStopped ? AnyLiveState : RunningOnly;

    private async Task<List<InstanceInfo>> AllAsync(InstanceFilter filter, CancellationToken cancellationToken, string? description = null,
        bool bounded = true)
    {
        var all = new List<InstanceInfo>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _directory.FindInstancesAsync(filter, token, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            token = page.NextToken;
            // More than a turn may read: nothing is acted on, since what was read is not all that was asked for.
            if (bounded && token is not null && ++pages >= MaxInstancePages) throw new TooManyToReadException(all.Count, description);
        }
        while (token is not null);
        return all;
    }

    /// <summary>The bound was reached: at least <see cref="AtLeast"/> instances match.</summary>
    private sealed class TooManyToReadException(int atLeast, string? description) : Exception
    {
        public int AtLeast { get; } = atLeast;

        public string? Description { get; } = description;
    }

    // The tag step: which real key, and which real value(s) of it.
    private static TagStep ResolveTag(TargetQuery query, TagIndex index)
    {
        if (query.TagKey is { } spokenKey)
        {
            var keys = Best(spokenKey, index.Keys);
            if (keys.Count == 0) return TagStep.Fail(new TargetResult.NotFound(NotFoundKind.NoSuchTagKey, spokenKey, null,
                index.SpeakableKeys));
            if (keys.Count > 1
                && !SameSpelling(keys)) return TagStep.Fail(new TargetResult.Ambiguous(AmbiguityKind.TagKey, spokenKey, keys));
            var key = keys[0];
            var values = index.Values(key);
            if (query.TagValue is not { } spokenValue)
            {
                // A key alone could mean a lot of instances: ask which value unless there is only one.
                return values.Count == 1
                    ? TagStep.Ok(new TagSelector(key, values[0]))
                    : TagStep.Fail(new TargetResult.Ambiguous(AmbiguityKind.TagValue, spokenKey, values));
            }
            var matched = Best(spokenValue, values);
            if (matched.Count == 0) return TagStep.Fail(new TargetResult.NotFound(NotFoundKind.NoSuchTagValue, spokenValue, key, values));
            if (!SameSpelling(matched)) return TagStep.Fail(new TargetResult.Ambiguous(AmbiguityKind.TagValue, spokenValue, matched));
            return TagStep.Ok(new TagSelector(key, matched[0]) { Values = matched });
        }

        // A value alone ("scan prod"): find the key whose values fit best.
        var heard = query.TagValue!;
        var bestTier = MatchTier.None;
        var candidates = new List<(string Key, List<string> Values)>();
        foreach (var key in index.Keys)
        {
            var values = index.Values(key);
            var tier = values.Select(v => SpokenMatch.Compare(heard, v)).DefaultIfEmpty(MatchTier.None).Min();
            if (tier == MatchTier.None || tier > bestTier) continue;
            if (tier < bestTier) { candidates.Clear(); bestTier = tier; }
            candidates.Add((key, values.Where(v => SpokenMatch.Compare(heard, v) == tier).ToList()));
        }
        if (candidates.Count == 0) return TagStep.Fail(new TargetResult.NotFound(NotFoundKind.NoSuchTagValue, heard, null,
            index.SpeakableKeys));
        if (candidates.Count > 1)
        {
            // "web" is a Role and part of the names web-1 and web-2: the Role wins, names are asked for by name.
            var notNames = candidates.Where(c => c.Key != TagIndex.NameKey).ToList();
            if (notNames.Count == 1) candidates = notNames;
            else return TagStep.Fail(new TargetResult.Ambiguous(AmbiguityKind.TagKey, heard, notNames.Select(c => c.Key).ToList()));
        }
        var (chosenKey, chosenValues) = candidates[0];
        if (!SameSpelling(chosenValues) && chosenKey != TagIndex.NameKey)
            return TagStep.Fail(new TargetResult.Ambiguous(AmbiguityKind.TagValue, heard, chosenValues));
        return TagStep.Ok(new TagSelector(chosenKey, chosenValues[0]) { Values = chosenValues });
    }

    private async Task<TargetResult> ResolveNameAsync(string spoken, TagIndex index, bool includeStopped,
        CancellationToken cancellationToken)
    {
        var heard = StripFillers(spoken);
        var ids = MatchIds(heard, index);
        if (ids.Count == 0 && LooksLikeInstanceId(heard))
        {
            // Untagged instances are not in the tag list; a full id can still be looked up directly.
            ids = ["i-" + SpokenMatch.Compact(heard)[1..]];
        }
        if (ids.Count == 0)
            return new TargetResult.NotFound(NotFoundKind.NoSuchInstance, spoken, null,
                index.Names.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

        var instances = await AllAsync(new InstanceFilter { InstanceIds = ids, States = States(includeStopped) }, cancellationToken)
            .ConfigureAwait(false);
        if (instances.Count == 0)
        {
            var known = index.InstanceIds.Intersect(ids, StringComparer.Ordinal).Select(id => index.NameOf(id) ?? id).ToList();
            return known.Count == 0
                ? new TargetResult.NotFound(NotFoundKind.NoSuchInstance, spoken, null, [])
                : new TargetResult.NotFound(NotFoundKind.NoRunningInstances, spoken, null, known);
        }
        if (instances.Count > 1)
        {
            var names = instances.Select(i => i.DisplayName).ToList();
            // Two instances with one name are told apart by id.
            var candidates = instances.Select(i => names.Count(n => n == i.DisplayName) > 1 ? i.Id : i.DisplayName).ToList();
            return new TargetResult.Ambiguous(AmbiguityKind.InstanceName, spoken, candidates);
        }
        var only = instances[0];
        return new TargetResult.Found(new TargetSelection(only.DisplayName, null, instances));
    }

    // Ids whose Name tag, full id or id ending fit best.
    private static List<string> MatchIds(string heard, TagIndex index)
    {
        var compact = SpokenMatch.Compact(heard);
        if (compact.Length == 0) return [];
        var byId = index.InstanceIds.Where(id => IdCompact(id) == compact
            || (compact.Length >= MinIdEnding && IsHex(compact) && IdCompact(id).EndsWith(compact, StringComparison.Ordinal))).ToList();
        var bestTier = MatchTier.None;
        var byName = new List<string>();
        foreach (var (id, name) in index.Names)
        {
            var tier = SpokenMatch.Compare(heard, name);
            if (tier == MatchTier.None || tier > bestTier) continue;
            if (tier < bestTier) { byName.Clear(); bestTier = tier; }
            byName.Add(id);
        }
        // An exact name wins over an id ending; otherwise an id is the more precise thing to have said.
        if (bestTier == MatchTier.Same) return byName.Order(StringComparer.Ordinal).ToList();
        return byId.Count > 0 ? byId : byName.Order(StringComparer.Ordinal).ToList();
    }

    private static List<InstanceInfo> Closest(string heard, List<InstanceInfo> instances)
    {
        var tiers = instances.Select(i => (i, tier: i.Name is null ? MatchTier.None : SpokenMatch.Compare(StripFillers(heard), i.Name)))
            .ToList();
        var best = tiers.Select(t => t.tier).DefaultIfEmpty(MatchTier.None).Min();
        return best == MatchTier.None ? [] : tiers.Where(t => t.tier == best).Select(t => t.i).ToList();
    }

    // The values that fit best; several only when they tie.
    private static List<string> Best(string heard, IReadOnlyList<string> candidates)
    {
        var scored = candidates.Select(c => (c, tier: SpokenMatch.Compare(heard, c))).Where(s => s.tier != MatchTier.None).ToList();
        if (scored.Count == 0) return [];
        var best = scored.Min(s => s.tier);
        return scored.Where(s => s.tier == best).Select(s => s.c).ToList();
    }

    // "prod" and "Prod" are one answer, not a question; "prod" and "production" are a question.
    private static bool SameSpelling(IReadOnlyList<string> values) =>
        values.Select(SpokenMatch.Compact).Distinct(StringComparer.Ordinal).Count() == 1;

    private static string StripFillers(string spoken)
    {
        var words = spoken.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && NameFillers.Contains(words[0].ToLowerInvariant())) words.RemoveAt(0);
        return string.Join(' ', words);
    }

    private static string IdCompact(string id) => SpokenMatch.Compact(id);

    private static bool IsHex(string s) => s.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static bool LooksLikeInstanceId(string heard)
    {
        var compact = SpokenMatch.Compact(heard);
        return compact.Length is 9 or 18 && compact[0] == 'i' && IsHex(compact[1..]);
    }

    private static IReadOnlyList<InstanceInfo> Ordered(List<InstanceInfo> instances) =>
        instances.DistinctBy(i => i.Id).OrderBy(i => i.DisplayName, StringComparer.Ordinal).ToList();

    private sealed record CachedTags(DateTimeOffset At, TagIndex Index);

    // The outcome of the tag step: a selector, or the result to return instead.
    private sealed record TagStep(TagSelector? Selector, TargetResult? Result)
    {
        public static TagStep Ok(TagSelector selector) => new(selector, null);
        public static TagStep Fail(TargetResult result) => new(null, result);
    }
}
