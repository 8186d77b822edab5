using System.Text.Json;
using System.Text.RegularExpressions;
using SecurityAlexa.Alexa;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation.Screens;

/// <summary>
/// A touch on a screen (Alexa.Presentation.APL.UserEvent). Touching an instance's row reads its detail aloud; nothing
/// else happens: a touch never changes anything, never confirms a read-back, and leaves what the conversation remembers
/// as it was. Changes are confirmed by voice only. The arguments come from the device, so they are checked like any input;
/// under READ_ACCESS=speakers a touch, which no voice makes, hears no detail.
/// </summary>
internal sealed partial class ScreenTouchHandler(ITargetResolver? targets) : IRequestHandler
{
    /// <summary>The first argument of a row's SendEvent in every document.</summary>
    public const string InstanceArgument = "instance";

    /// <inheritdoc />
    public bool CanHandle(TurnContext turn) => turn.Request is AplUserEventRequest;

    /// <inheritdoc />
    public async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var touch = (AplUserEventRequest)turn.Request;
        if (InstanceOf(touch.Arguments) is not { } id)
        {
            turn.Log.Info("screen.touch.unknown", ("requestId", turn.RequestId), ("token", Short(touch.Token)),
                ("arguments", touch.Arguments?.Count ?? 0));
            return Answer(turn, lang.Say("screen.touch.unknown")).Labelled("touch-unknown");
        }
        if (targets is null) return Answer(turn, lang.Say("screen.touch.noLookup")).Labelled("touch-no-lookup");
        // READ_ACCESS=speakers: a touch carries no recognised voice, so it hears no instance's name, tags or isolation.
        if (!ReadAccessCheck.MayHearNames(turn)) return Answer(turn, lang.Say("screen.touch.byVoiceOnly")).Labelled("touch-by-voice-only");

        var found = await targets.DescribeAsync([id], turn.Cancellation).ConfigureAwait(false);
        if (found.FirstOrDefault(i => i.Id == id) is not { } instance) return Answer(turn, lang.Say("screen.touch.notFound"))
            .Labelled("touch-not-found");

        var parts = new List<Spoken>
        {
            string.IsNullOrWhiteSpace(instance.Name)
                ? lang.Say("screen.touch.detailNoName", ("name", Discretion.Instance(turn, instance)), ("state", instance.State))
                : lang.Say("screen.touch.detail", ("name", Discretion.Instance(turn, instance)),
                    ("id", Discretion.Instance(turn, null, instance.Id)), ("state", instance.State)),
        };
        // The tag that places it (Environment prod), not the skill's own markers or its name.
        if (instance.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)
            .FirstOrDefault(t => t.Key != TagIndex.NameKey && !t.Key.StartsWith(SkillTags.Prefix, StringComparison.OrdinalIgnoreCase))
            is { Key: { } key } tag)
            parts.Add(lang.Say("screen.touch.tag", ("key", key), ("value", tag.Value)));
        if (IsolationRecord.ReadTime(instance.Tags, SkillTags.IsolatedAt) is { } at)
            parts.Add(lang.Say("screen.touch.isolated", ("ago", lang.Ago(at, turn.Now))));
        if (turn.State.Pending is not null) parts.Add(lang.Say("screen.touch.changesByVoice"));
        return Answer(turn, Spoken.Join(parts)).Labelled("touch-detail");
    }

    private static Reply Answer(TurnContext turn, Spoken speech) => Reply.Ask(speech, turn.Lang.Say("screen.touch.reprompt"));

    // ["instance", "i-..."] and nothing else is understood.
    private static string? InstanceOf(List<JsonElement>? arguments)
    {
        if (arguments is not [{ ValueKind: JsonValueKind.String } kind, { ValueKind: JsonValueKind.String } value]) return null;
        if (kind.GetString() != InstanceArgument) return null;
        var id = value.GetString();
        return id is not null && InstanceId().IsMatch(id) ? id : null;
    }

    private static string? Short(string? text) => text is null ? null : text.Length <= 40 ? text : text[..40];

    [GeneratedRegex("^i-[0-9a-f]{8,17}$")]
    private static partial Regex InstanceId();
}
