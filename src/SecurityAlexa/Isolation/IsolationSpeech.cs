using System.Text;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Isolation;

/// <summary>
/// What isolation says, shows on the card and posts to chat, built from the reports. Every word comes from Speech.en-US.json.
/// </summary>
internal static class IsolationSpeech
{
    private const int NamesSpoken = 5;

    /// <summary>The last four characters of an id, read one by one.</summary>
    public static Spoken End(string? id) => Spoken.Characters(id is null ? "" : id.Length <= 4 ? id : id[^4..]);

    /// <summary>Who is acting, as written in the record: the hashed speaker, else the hashed account.</summary>
    public static string RequestedBy(TurnContext turn) =>
        turn.SpeakerHash is { } speaker ? "speaker:" + speaker : turn.UserHash is { } user ? "user:" + user : "unknown";

    /// <summary>The isolation read-back.</summary>
    public static Spoken ReadBackIsolate(Lang lang, IReadOnlyList<InstanceInfo> instances, IReadOnlyList<InstanceInfo> skipped)
    {
        Spoken main;
        if (instances.Count == 1)
        {
            var i = instances[0];
            main = lang.Say("isolate.readBack.one", ("name", i.DisplayName), ("idEnd", End(i.Id)), ("vpcEnd", End(i.VpcId)));
        }
        else
        {
            var vpcs = instances.Select(i => i.VpcId).Distinct(StringComparer.Ordinal).ToList();
            var where = vpcs.Count == 1 ? lang.Say("isolate.readBack.vpcOne", ("vpcEnd", End(vpcs[0])))
                : lang.Say("isolate.readBack.vpcMany", ("count", vpcs.Count));
            main = lang.Say("isolate.readBack.many", ("count", lang.Count(instances.Count, "isolate.instance")),
                ("names", lang.ListSome(instances.Select(i => i.DisplayName).ToList(), NamesSpoken)), ("vpcs", where));
        }
        if (skipped.Count == 0) return main;
        var skip = lang.Say("isolate.readBack.skipping",
            ("names", lang.ListSome(skipped.Select(i => i.DisplayName).ToList(), NamesSpoken)),
            ("isAre", skipped.Count == 1 ? "is" : "are"));
        return Spoken.Join(skip, main);
    }

    /// <summary>"I won't isolate web-1: it's tagged SecurityAlexa Protected", for the instances given.</summary>
    public static Spoken ProtectedRefused(Lang lang, IReadOnlyList<string> names) =>
        lang.Say(names.Count == 1 ? "isolate.protected.one" : "isolate.protected.many", ("names", lang.ListSome(names, NamesSpoken)));

    /// <summary>What to say after an isolation.</summary>
    public static Spoken Isolated(Lang lang, IsolationReport report, DateTimeOffset now)
    {
        var parts = new List<Spoken>();
        var all = report.Instances;
        var isolated = report.With(IsolationOutcome.Isolated);
        if (all.Count == 1 && isolated.Count == 1)
        {
            var r = isolated[0];
            var interfaces = r.Interfaces.Count == 1 ? lang.Say("isolate.done.interfacesOne")
                : lang.Say("isolate.done.interfacesMany", ("count", r.Interfaces.Count));
            parts.Add(lang.Say(r.TerminationProtectionOn ? "isolate.done.one" : "isolate.done.oneNoProtection", ("name", r.DisplayName),
                ("interfaces", interfaces)));
        }
        else if (isolated.Count > 0)
        {
            parts.Add(lang.Say("isolate.done.many", ("count", lang.Count(isolated.Count, "isolate.instance")),
                ("isAre", isolated.Count == 1 ? "is" : "are"),
                ("names", Names(lang, isolated.Select(i => i.DisplayName)))));
            var unprotected = isolated.Where(i => !i.TerminationProtectionOn).Select(i => i.DisplayName).ToList();
            if (unprotected.Count > 0) parts.Add(lang.Say("isolate.protectionFailed", ("names", Names(lang, unprotected))));
        }

        var already = report.With(IsolationOutcome.AlreadyIsolated);
        // "I changed nothing" is not said when a containment step was retried.
        if (already.Count == 1 && all.Count == 1 && !ContainmentSpeech.ChangedAnything(already[0].Containment))
            parts.Add(lang.Say("isolate.alreadyAll.one", ("name", already[0].DisplayName), ("ago", Ago(lang, already[0], now))));
        else if (already.Count == 1)
            parts.Add(lang.Say("isolate.already.one", ("name", already[0].DisplayName)));
        else if (already.Count > 1)
            parts.Add(lang.Say("isolate.already.many", ("names", Names(lang, already.Select(i => i.DisplayName)))));

        var unfinished = new List<string>();
        foreach (var p in report.With(IsolationOutcome.Partial))
        {
            var cut = p.Interfaces.Count(i => i.IsCutOff);
            parts.Add(lang.Say("isolate.partial", ("name", p.DisplayName), ("cut", cut), ("total", p.Interfaces.Count),
                ("isAre", cut == 1 ? "is" : "are")));
            unfinished.Add(p.DisplayName);
        }
        foreach (var f in report.With(IsolationOutcome.Failed))
        {
            parts.Add(lang.Say("isolate.failed", ("name", f.DisplayName)));
            unfinished.Add(f.DisplayName);
        }
        var busy = report.With(IsolationOutcome.Busy);
        if (busy.Count > 0)
            parts.Add(lang.Say("isolate.busy", ("names", Names(lang, busy.Select(b => b.DisplayName))),
                ("isAre", busy.Count == 1 ? "is" : "are"), ("itThem", busy.Count == 1 ? "it" : "them")));

        var refused = report.With(IsolationOutcome.Protected);
        if (refused.Count > 0) parts.Add(ProtectedRefused(lang, refused.Select(r => r.DisplayName).ToList()));

        var gone = report.With(IsolationOutcome.NotFound);
        if (gone.Count > 0)
            parts.Add(lang.Say("isolate.gone", ("names", Names(lang, gone.Select(g => g.InstanceId))),
                ("existsExist", gone.Count == 1 ? "exists" : "exist"), ("itThem", gone.Count == 1 ? "it" : "them")));

        var terminated = report.With(IsolationOutcome.Terminated);
        if (terminated.Count > 0)
            parts.Add(lang.Say("isolate.terminated", ("names", Names(lang, terminated.Select(t => t.DisplayName))),
                ("isAre", terminated.Count == 1 ? "is" : "are"), ("itThem", terminated.Count == 1 ? "it" : "them")));

        foreach (var unsafeGroup in all.Select(i => i.UnsafeGroupId).Where(g => g is not null).Distinct(StringComparer.Ordinal))
            parts.Add(lang.Say("isolate.unsafeGroup", ("groupEnd", End(unsafeGroup))));

        if (FirstError(all) is { } error) parts.Add(ErrorSpeech.ForAws(lang, error));

        foreach (var i in all)
        {
            foreach (var eni in i.Interfaces.Where(e => e.Outcome == InterfaceOutcome.LeftOpen))
                parts.Add(lang.Say("isolate.leftOpen", ("eniEnd", End(eni.InterfaceId)), ("name", i.DisplayName)));
            foreach (var eni in i.Interfaces.Where(e => e.Outcome == InterfaceOutcome.IsolatedWithoutRecord))
                parts.Add(lang.Say("isolate.noRecordWarning", ("eniEnd", End(eni.InterfaceId)), ("name", i.DisplayName)));
        }
        if (unfinished.Count > 0) parts.Add(lang.Say("isolate.retryHint", ("name", lang.List(unfinished))));
        parts.AddRange(ContainmentSpeech.Isolated(lang, all));

        var snapshots = all.Sum(i => i.SnapshotIds.Count);
        var snapshotFailures = all.Where(i => i.Errors.Any(e => e.Operation == AwsOperations.Ec2CreateSnapshots))
            .Select(i => i.DisplayName).ToList();
        if (snapshots > 0) parts.Add(lang.Say("isolate.snapshots", ("snapshots", lang.Count(snapshots, "isolate.snapshot"))));
        if (snapshotFailures.Count > 0) parts.Add(lang.Say("isolate.snapshotsFailed", ("names", Names(lang, snapshotFailures))));

        // Each deferred instance is said as what it is: on the queue, or not (the queue refused it).
        var handedOn = report.HandedOn;
        if (handedOn.Count > 0)
            parts.Add(lang.Say("isolate.continuing", ("count", lang.Count(handedOn.Count, "isolate.instance")),
                ("names", Names(lang, handedOn.Select(d => d.DisplayName))), ("isAre", handedOn.Count == 1 ? "is" : "are")));
        if (report.Stranded is { Count: > 0 } stranded)
            parts.Add(lang.Say("isolate.continuationFailed", ("names", Names(lang, stranded.Select(d => d.DisplayName)))));
        return Spoken.Join(parts);
    }

    /// <summary>The card after an isolation: every interface, its groups before and after, and every problem.</summary>
    public static string IsolationCard(Lang lang, IsolationReport report, string reason, IsolationOptions options)
    {
        var card = new StringBuilder();
        foreach (var i in report.Instances)
        {
            card.AppendLine(lang.Text("isolate.card.instance", ("name", i.DisplayName), ("id", i.InstanceId),
                ("vpc", i.Subject?.VpcId ?? "?"),
                ("outcome", lang.Text("isolate.outcome." + i.Outcome))));
            foreach (var eni in i.Interfaces)
            {
                var to = eni.IsCutOff || eni.Outcome == InterfaceOutcome.LeftOpen ? i.IsolationGroupId ?? "?"
                    : string.Join(", ", eni.OriginalGroups);
                card.AppendLine(lang.Text("isolate.card.interface", ("eni", eni.InterfaceId),
                    ("from", string.Join(", ", eni.OriginalGroups)),
                    ("to", to), ("outcome", lang.Text("isolate.eni." + eni.Outcome))));
            }
            if (i.Outcome is IsolationOutcome.Isolated or IsolationOutcome.Partial or IsolationOutcome.AlreadyIsolated)
                card.AppendLine(lang.Text("isolate.card.protection", ("before", OnOff(lang, i.TerminationProtectionBefore)),
                    ("now", OnOff(lang, i.TerminationProtectionOn))));
            if (i.SnapshotIds.Count > 0) card.AppendLine(lang.Text("isolate.card.snapshots", ("ids", string.Join(", ", i.SnapshotIds))));
            foreach (var line in ContainmentSpeech.CardLines(lang, i.Containment)) card.AppendLine(line);
            foreach (var e in i.Errors.Concat(i.Interfaces.Select(x => x.Error).Where(x => x is not null).Select(x => x!)).Distinct())
                card.AppendLine(lang.Text("isolate.card.problem", ("operation", e.Operation),
                    ("code", e.ErrorCode ?? e.Failure.ToString())));
        }
        var deferred = report.HandedOn;
        if (deferred.Count > 0)
            card.AppendLine(lang.Text("isolate.card.continuing", ("ids", string.Join(", ", deferred.Select(d => d.InstanceId)))));
        card.AppendLine(lang.Text("isolate.card.reason", ("reason", reason)));
        return card.ToString().TrimEnd();
    }

    /// <summary>The chat post after an isolation, or null when nothing changed (so that a redelivered event posts nothing).</summary>
    public static string? IsolationChat(Lang lang, IsolationReport report, string how, string reason, IsolationOptions options)
    {
        var lines = new List<string>();
        foreach (var i in report.Instances)
        {
            var interfaces = string.Join("; ",
                i.Interfaces.Select(e => lang.Text("isolate.chat.interface", ("eni", e.InterfaceId),
                ("from", string.Join(" ", e.OriginalGroups)))));
            var vpc = i.Subject?.VpcId ?? "?";
            switch (i.Outcome)
            {
                case IsolationOutcome.Isolated:
                    lines.Add(lang.Text("isolate.chat.isolated", ("name", i.DisplayName), ("id", i.InstanceId), ("vpc", vpc),
                        ("how", how), ("reason", reason),
                        ("interfaces", interfaces), ("protection", OnOff(lang, i.TerminationProtectionOn))));
                    break;
                case IsolationOutcome.Partial:
                    lines.Add(lang.Text("isolate.chat.partial", ("name", i.DisplayName), ("id", i.InstanceId), ("vpc", vpc), ("how", how),
                        ("reason", reason),
                        ("cut", i.Interfaces.Count(e => e.IsCutOff)), ("total", i.Interfaces.Count), ("interfaces", interfaces)));
                    break;
                case IsolationOutcome.Protected:
                    lines.Add(lang.Text("isolate.chat.protected", ("name", i.DisplayName), ("id", i.InstanceId), ("how", how)));
                    break;
                case IsolationOutcome.Failed when i.Changed || i.Errors.Count > 0:
                    lines.Add(lang.Text("isolate.chat.failed", ("name", i.DisplayName), ("id", i.InstanceId), ("how", how),
                        ("problem", (i.Errors.Count > 0 ? i.Errors[0].Operation : null) ?? i.Interfaces.Select(e => e.Error?.Operation)
                            .FirstOrDefault(o => o is not null) ?? "?")));
                    break;
            }
            foreach (var open in i.Interfaces.Where(e => e.Outcome == InterfaceOutcome.LeftOpen))
                lines.Add(lang.Text("isolate.chat.leftOpen", ("eni", open.InterfaceId), ("name", i.DisplayName), ("id", i.InstanceId),
                    ("group", "allow-all")));
            if (i.SnapshotIds.Count > 0) lines.Add(lang.Text("isolate.chat.snapshots", ("ids", string.Join(", ", i.SnapshotIds))));
            if (ContainmentSpeech.ChatLine(lang, i.DisplayName, i.InstanceId, i.Containment) is { } contained) lines.Add(contained);
        }
        // An isolation group that gained rules is refused, and the team hears of it (issue 13 §3).
        foreach (var unsafeGroup in report.Instances.Select(i => i.UnsafeGroupId).Where(g => g is not null)
            .Distinct(StringComparer.Ordinal))
            lines.Add(lang.Text("isolate.chat.unsafeGroup", ("group", unsafeGroup)));
        var deferred = report.HandedOn;
        if (deferred.Count > 0)
            lines.Add(lang.Text("isolate.chat.continuing", ("ids", string.Join(", ", deferred.Select(d => d.InstanceId)))));
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>The release read-back.</summary>
    public static Spoken ReadBackRelease(Lang lang, IReadOnlyList<InstanceInfo> instances, IReadOnlyList<InstanceInfo> skipped,
        IReadOnlyList<InstanceInfo>? fromTags = null)
    {
        Spoken main;
        if (instances.Count == 1)
        {
            var i = instances[0];
            var protectionOff = IsolationRecord.ReadBool(i.Tags, IsolationRecord.TerminationProtectionBefore) == false;
            main = lang.Say("release.readBack.one", ("name", i.DisplayName), ("idEnd", End(i.Id)),
                ("protection", protectionOff ? lang.Say("release.readBack.protectionOff") : Spoken.Empty));
        }
        else
        {
            main = lang.Say("release.readBack.many", ("count", lang.Count(instances.Count, "isolate.instance")),
                ("names", Names(lang, instances.Select(i => i.DisplayName))));
        }
        // Said before the question: the yes that follows is the yes to restoring from tags.
        if (fromTags is { Count: > 0 })
            main = Spoken.Join(main, lang.Say("release.readBack.fromTags", ("names", Names(lang, fromTags.Select(i => i.DisplayName))),
                ("hasHave", fromTags.Count == 1 ? "has" : "have")));
        if (skipped.Count == 0) return main;
        var skip = lang.Say("release.readBack.skipping", ("names", Names(lang, skipped.Select(i => i.DisplayName))),
            ("hasHave", skipped.Count == 1 ? "has" : "have"));
        return Spoken.Join(skip, main);
    }

    /// <summary>What to say after a release.</summary>
    public static Spoken Released(Lang lang, ReleaseReport report)
    {
        var parts = new List<Spoken>();
        var released = report.With(ReleaseOutcome.Released);
        if (report.Instances.Count == 1 && released.Count == 1)
        {
            var r = released[0];
            var restored = r.Interfaces.Count(i => i.Outcome == InterfaceReleaseOutcome.Restored);
            var interfaces = restored <= 1 ? lang.Say("release.done.interfacesOne")
                : lang.Say("release.done.interfacesMany", ("count", restored));
            parts.Add(lang.Say("release.done.one", ("name", r.DisplayName), ("interfaces", interfaces),
                ("haveHas", restored <= 1 ? "has" : "have"), ("itsTheir", restored <= 1 ? "its" : "their"),
                ("protection", r.TerminationProtectionNow == false ? lang.Say("release.done.protectionOff") : Spoken.Empty)));
        }
        else if (released.Count > 0)
        {
            parts.Add(lang.Say("release.done.many", ("count", lang.Count(released.Count, "isolate.instance")),
                ("names", Names(lang, released.Select(r => r.DisplayName)))));
        }

        var noRecord = report.With(ReleaseOutcome.NoRecord);
        if (noRecord.Count > 0 && report.Instances.Count == noRecord.Count)
            parts.Add(noRecord.Count == 1
                ? lang.Say("release.noRecord.one", ("name", noRecord[0].DisplayName))
                : lang.Say("release.noRecord.many", ("names", Names(lang, noRecord.Select(n => n.DisplayName)))));
        else if (noRecord.Count > 0)
            parts.Add(lang.Say("release.noRecordAtAct", ("names", Names(lang, noRecord.Select(n => n.DisplayName))),
                ("itThem", noRecord.Count == 1 ? "it" : "them")));

        foreach (var p in report.With(ReleaseOutcome.Partial))
            parts.Add(lang.Say("release.partial", ("name", p.DisplayName), ("restored", p.Interfaces.Count(i => i.IsDone)),
                ("total", p.Interfaces.Count)));
        foreach (var f in report.With(ReleaseOutcome.Failed))
            parts.Add(lang.Say("release.failed", ("name", f.DisplayName)));
        var busy = report.With(ReleaseOutcome.Busy);
        if (busy.Count > 0)
            parts.Add(lang.Say("release.busy", ("names", Names(lang, busy.Select(b => b.DisplayName))),
                ("isAre", busy.Count == 1 ? "is" : "are"), ("itThem", busy.Count == 1 ? "it" : "them")));
        foreach (var d in report.Instances.Where(i => i.TagsDisagreeing.Count > 0))
            parts.Add(lang.Say("release.tagsDisagree", ("name", d.DisplayName)));
        var fromTags = report.Instances.Where(i => i.FromTags && i.Outcome is ReleaseOutcome.Released or ReleaseOutcome.Partial).ToList();
        if (fromTags.Count > 0)
            parts.Add(lang.Say("release.fromTags", ("names", Names(lang, fromTags.Select(f => f.DisplayName))),
                ("itThem", fromTags.Count == 1 ? "it" : "them")));
        var gone = report.With(ReleaseOutcome.NotFound);
        if (gone.Count > 0) parts.Add(lang.Say("release.gone", ("names", Names(lang, gone.Select(g => g.InstanceId))),
            ("existsExist", gone.Count == 1 ? "exists" : "exist")));

        foreach (var i in report.Instances)
        {
            foreach (var eni in i.Interfaces.Where(e => e.Outcome == InterfaceReleaseOutcome.NoUsableRecord))
                parts.Add(lang.Say("release.noUsableRecord", ("eniEnd", End(eni.InterfaceId)), ("name", i.DisplayName)));
        }
        var error = report.Instances.SelectMany(i => i.Errors).FirstOrDefault();
        if (error is not null) parts.Add(ErrorSpeech.ForAws(lang, error));
        parts.AddRange(ContainmentSpeech.Released(lang, report.Instances));
        return Spoken.Join(parts);
    }

    /// <summary>The card after a release.</summary>
    public static string ReleaseCard(Lang lang, ReleaseReport report)
    {
        var card = new StringBuilder();
        foreach (var i in report.Instances)
        {
            card.AppendLine(lang.Text("release.card.instance", ("name", i.DisplayName), ("id", i.InstanceId),
                ("outcome", lang.Text("release.outcome." + i.Outcome))));
            foreach (var eni in i.Interfaces)
                card.AppendLine(lang.Text("release.card.interface", ("eni", eni.InterfaceId),
                    ("outcome", lang.Text("release.eni." + eni.Outcome)),
                    ("groups", eni.Outcome == InterfaceReleaseOutcome.Restored ? string.Join(", ", eni.RestoredGroups) : "")).TrimEnd());
            foreach (var e in i.Errors)
                card.AppendLine(lang.Text("isolate.card.problem", ("operation", e.Operation),
                    ("code", e.ErrorCode ?? e.Failure.ToString())));
            foreach (var line in ContainmentSpeech.CardLines(lang, i.Containment)) card.AppendLine(line);
        }
        return card.ToString().TrimEnd();
    }

    /// <summary>The chat post after a release, or null when nothing changed.</summary>
    public static string? ReleaseChat(Lang lang, ReleaseReport report, string how)
    {
        var lines = new List<string>();
        foreach (var i in report.Instances)
        {
            var interfaces = string.Join("; ", i.Interfaces.Where(e => e.Outcome == InterfaceReleaseOutcome.Restored)
                .Select(e => lang.Text("isolate.chat.interface", ("eni", e.InterfaceId), ("from", string.Join(" ", e.RestoredGroups)))));
            if (i.Outcome == ReleaseOutcome.Released)
                lines.Add(lang.Text("release.chat.released", ("name", i.DisplayName), ("id", i.InstanceId), ("how", how),
                    ("interfaces", interfaces)));
            else if (i.Outcome == ReleaseOutcome.Partial)
                lines.Add(lang.Text("release.chat.partial", ("name", i.DisplayName), ("id", i.InstanceId), ("how", how)));
            if (i.TagsDisagreeing.Count > 0)
                lines.Add(lang.Text("release.chat.tagsDisagree", ("name", i.DisplayName), ("id", i.InstanceId),
                    ("interfaces", string.Join(", ", i.TagsDisagreeing))));
            if (ContainmentSpeech.ChatLine(lang, i.DisplayName, i.InstanceId, i.Containment) is { } undone) lines.Add(undone);
        }
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>"by voice (speaker 1a2b3c4d)" for the chat post.</summary>
    public static string HowByVoice(Lang lang, string requestedBy)
    {
        var who = requestedBy.Contains(':', StringComparison.Ordinal)
            ? requestedBy[(requestedBy.IndexOf(':', StringComparison.Ordinal) + 1)..] : requestedBy;
        return lang.Text("isolate.chat.byVoice", ("who", who.Length > 8 ? who[..8] : who));
    }

    /// <summary>"when" for an instance, from its marker.</summary>
    public static string Ago(Lang lang, InstanceIsolation result, DateTimeOffset now) =>
        result.Subject?.IsolatedAt is { } at ? lang.Ago(at, now) : lang.Template("time.justNow");

    private static AwsCallException? FirstError(IReadOnlyList<InstanceIsolation> all) =>
        all.SelectMany(i => i.Errors.Concat(i.Interfaces.Select(e => e.Error).Where(e => e is not null).Select(e => e!))).FirstOrDefault();

    private static string Names(Lang lang, IEnumerable<string> names) => lang.ListSome(names.ToList(), NamesSpoken);

    private static string OnOff(Lang lang, bool? value) => value switch
    {
        true => lang.Text("isolate.card.on"),
        false => lang.Text("isolate.card.off"),
        null => lang.Text("isolate.card.unknown"),
    };
}
