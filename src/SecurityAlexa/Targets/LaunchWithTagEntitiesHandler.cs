using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Targets;

/// <summary>
/// "Alexa, open security assistant", which also teaches Alexa this account's tag keys, tag values and instance
/// names for the session (Dialog.UpdateDynamicEntities), so that what people say resolves to what exists.
/// The tags come from the resolver's cache, or from one DescribeTags read that the launch waits for only
/// briefly: a slow or failed read leaves the launch as it was, and a slow one still warms the cache for the next turn.
/// </summary>
internal sealed class LaunchWithTagEntitiesHandler(IKnownTags tags) : IRequestHandler
{
    /// <summary>How long the launch waits for the tags before answering without them.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    /// <summary>Alexa takes at most this many dynamic values in all.</summary>
    public const int MaxValues = 100;

    // Most-used first within each budget; names take what keys and values leave.
    private const int MaxKeys = 20, MaxTagValues = 40, MaxSpokenLength = 40;

    private readonly LaunchHandler _launch = new();

    /// <inheritdoc />
    public bool CanHandle(TurnContext turn) => turn.Request is LaunchRequest;

    /// <inheritdoc />
    public async Task<Reply> HandleAsync(TurnContext turn)
    {
        var reply = await _launch.HandleAsync(turn).ConfigureAwait(false);
        var read = tags.TagsAsync(turn.Cancellation);
        TagIndex index;
        try
        {
            index = await read.WaitAsync(Wait, turn.Time, turn.Cancellation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Teaching is a nicety: the launch answers anyway, and the read's own outcome is observed, never thrown.
            Observed.Forget(read);
            turn.Log.Info("dynamic-entities.skipped", ("requestId", turn.RequestId), ("why", e.GetType().Name));
            return reply;
        }
        return DirectiveFor(index) is { } directive ? reply.With(directive) : reply;
    }

    // The tag index is cached for a minute, so a warm launch sees the same one again: its directive is built once.
    private sealed record Built(TagIndex Index, DialogUpdateDynamicEntities? Directive);

    private volatile Built? _built;

    private DialogUpdateDynamicEntities? DirectiveFor(TagIndex index)
    {
        if (_built is { } built && ReferenceEquals(built.Index, index)) return built.Directive;
        var directive = Directive(index);
        _built = new Built(index, directive);
        return directive;
    }

    /// <summary>The directive for the account's tags, or null when there is nothing worth teaching.</summary>
    public static DialogUpdateDynamicEntities? Directive(TagIndex index)
    {
        // The skill's own record tags (times, speaker hashes) and AWS's are never said by people.
        var keys = index.SpeakableKeys.Where(k => !k.StartsWith(SkillTags.Prefix, StringComparison.Ordinal) && Speakable(k)).Take(MaxKeys)
            .ToList();
        var values = keys.SelectMany(index.Values).Where(Speakable).Distinct(StringComparer.Ordinal).Take(MaxTagValues).ToList();
        var names = index.Names.Values.Where(Speakable).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Take(MaxValues - keys.Count - values.Count).ToList();

        var types = new List<DynamicSlotType>();
        if (keys.Count > 0) types.Add(Type("TAG_KEY", keys));
        if (values.Count > 0) types.Add(Type("TAG_VALUE", values));
        if (names.Count > 0) types.Add(Type("INSTANCE_NAME", names));
        return types.Count == 0 ? null : new DialogUpdateDynamicEntities { UpdateBehavior = "REPLACE", Types = types };
    }

    private static DynamicSlotType Type(string name, IEnumerable<string> values) => new()
    {
        Name = name,
        Values = values.Select(v =>
        {
            // "web-1" is heard as "web 1": the spaced form is a synonym of the real value.
            var spaced = string.Join(' ', v.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries));
            return new DynamicSlotValue
            {
                Id = new string(v.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()),
                Name = new DynamicSlotName { Value = v, Synonyms = spaced != v && spaced.Length > 0 ? [spaced] : null },
            };
        }).ToList(),
    };

    // Short words with a letter in them: not ids, times, ARNs or paths.
    private static bool Speakable(string text) =>
        text.Length is > 0 and <= MaxSpokenLength
        && text.Any(char.IsLetter)
        && text.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.');
}
