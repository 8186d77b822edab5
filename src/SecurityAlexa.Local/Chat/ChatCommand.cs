using System.Globalization;
using System.Text.RegularExpressions;
using SecurityAlexa.Alexa;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Local.Chat;

/// <summary>
/// <c>chat</c>: type what you would say and read what Alexa would say. Reads from the terminal, a script
/// file or piped input. Script lines: an utterance; <c>:wait 10m</c> (moves the sandbox clock on);
/// <c>=&gt; words</c> (Alexa's last answer must contain them) or <c>=&gt;! words</c> (must not); <c>#</c> comments.
/// </summary>
internal static partial class ChatCommand
{
    /// <summary>The en-US interaction model copied next to the runner by its project file.</summary>
    public static string DefaultModelPath => ModelPathFor("en-US");

    /// <summary>The interaction model of a locale, copied next to the runner by its project file.</summary>
    public static string ModelPathFor(string locale)
        => Path.Combine(AppContext.BaseDirectory, "skill-package", "interactionModels", "custom", locale + ".json");

    /// <summary>Runs the chat; returns 0, or 1 when an expectation in the script failed, or 2 for bad input.</summary>
    public static async Task<int> RunAsync(RunnerOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr,
        bool interactive, CancellationToken cancellationToken)
    {
        var modelPath = options.Model ?? ModelPathFor(options.Locale);
        InteractionModel model;
        try
        {
            model = InteractionModel.Load(modelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
        {
            await stderr.WriteLineAsync($"Cannot read the interaction model {modelPath}: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        TextReader input = stdin;
        if (options.Script is { } script)
        {
            try { input = new StringReader(await File.ReadAllTextAsync(script, cancellationToken).ConfigureAwait(false)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"Cannot read {script}: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            interactive = false;
        }

        // The sandbox account is kept here so that its chat channel can be shown in the conversation.
        var account = options.Sandbox ? SandboxAccount.CreateDefault(TimeProvider.System) : null;
        if (account is not null) account.Latency = options.AwsLatency;
        var host = LocalRunner.CreateHost(options, stderr, options.Log ? null : new DiscardLogSink(),
            _ => new ChatProgress(stdout), account);
        var posts = 0;
        var chat = new ChatSession(model, (json, ct) => InvokeAsync(host, json, ct), host.Time.GetUtcNow,
            host.Config.SkillId ?? ChatSession.DefaultSkillId, options.Locale, options.Screen);
        var clock = host.Time as SandboxClock;

        if (interactive)
        {
            var opening = options.Locale.StartsWith("ja", StringComparison.Ordinal)
                ? model.InvocationName + "を開いて"
                : "open " + model.InvocationName;
            await stdout.WriteLineAsync(
                $"Talking to the skill{(options.Sandbox ? " in the sandbox account" : "")}. Say \"{opening}\", or just what you want.")
                .ConfigureAwait(false);
            await stdout.WriteLineAsync("Type :wait 10m to move the sandbox clock on, :quit to leave.").ConfigureAwait(false);
        }

        ChatTurn? last = null;
        var failures = 0;
        var lineNumber = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (interactive) await stdout.WriteAsync(chat.InSession ? "You: " : "You (no session): ").ConfigureAwait(false);
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null) break;
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            if (text is ":quit" or ":q") break;

            if (text.StartsWith("=>", StringComparison.Ordinal))
            {
                if (!await CheckAsync(text, last, lineNumber, stdout).ConfigureAwait(false)) failures++;
                continue;
            }
            if (text.StartsWith(":wait", StringComparison.Ordinal))
            {
                if (!TryDuration(text[5..].Trim(), out var by))
                {
                    await stdout.WriteLineAsync($"  (line {lineNumber}: say :wait 10m, :wait 90s or :wait 2h)").ConfigureAwait(false);
                    failures++;
                }
                else if (clock is null)
                {
                    await stdout.WriteLineAsync("  (:wait moves the sandbox clock; it needs --sandbox)").ConfigureAwait(false);
                }
                else
                {
                    clock.Advance(by);
                    await stdout.WriteLineAsync($"  (sandbox clock moved on {text[5..].Trim()})").ConfigureAwait(false);
                    if (account is not null)
                    {
                        // Lambda's event source mapping would have delivered the queue meanwhile: do it now.
                        var delivered = await account.Queue.DeliverToAsync(host.Dispatcher, cancellationToken).ConfigureAwait(false);
                        if (delivered > 0)
                            await stdout.WriteLineAsync($"  (work queue: {delivered} message(s) delivered to the function; "
                                + $"{account.Queue.Count} still queued, {account.Queue.DeadLetters.Count} in the dead-letter queue)")
                                .ConfigureAwait(false);
                        posts = await PrintPostsAsync(account, posts, stdout).ConfigureAwait(false);
                    }
                }
                continue;
            }
            if (text.StartsWith(":touch", StringComparison.Ordinal))
            {
                var touched = await TouchAsync(chat, text[6..].Trim(), lineNumber, stdout, cancellationToken).ConfigureAwait(false);
                if (touched is null) failures++;
                else last = touched;
                continue;
            }
            if (text.StartsWith(':'))
            {
                await stdout.WriteLineAsync($"  (unknown command {text}; use :wait, :touch or :quit)").ConfigureAwait(false);
                continue;
            }

            if (!interactive) await stdout.WriteLineAsync("You: " + text).ConfigureAwait(false);
            last = await chat.SayAsync(text, cancellationToken).ConfigureAwait(false);
            if (options.ShowIntents) await PrintRequestsAsync(last, stdout).ConfigureAwait(false);
            await PrintAsync(last, stdout).ConfigureAwait(false);
            if (account is not null) posts = await PrintPostsAsync(account, posts, stdout).ConfigureAwait(false);
        }

        if (failures > 0)
        {
            await stdout.WriteLineAsync($"{failures} expectation(s) failed.").ConfigureAwait(false);
            return 1;
        }
        return 0;
    }

    // Prints the chat channel's posts after the first `shown`; returns how many have been shown.
    private static async Task<int> PrintPostsAsync(SandboxAccount account, int shown, TextWriter stdout)
    {
        var all = account.Chat.Posts;
        foreach (var post in all.Skip(shown))
            foreach (var postLine in post.Split('\n')) await stdout.WriteLineAsync("  (chat channel) " + postLine).ConfigureAwait(false);
        return Math.Max(shown, all.Count);
    }

    private static async Task<string> InvokeAsync(SkillHost host, string json, CancellationToken cancellationToken)
    {
        var bytes = await host.Dispatcher.InvokeAsync(System.Text.Encoding.UTF8.GetBytes(json), new InvocationInfo(), cancellationToken)
            .ConfigureAwait(false);
        return InvocationDispatcher.Text(bytes);
    }

    private static async Task PrintAsync(ChatTurn turn, TextWriter stdout)
    {
        foreach (var said in turn.Speech) await stdout.WriteLineAsync("Alexa: " + said).ConfigureAwait(false);
        foreach (var (title, text) in turn.Cards)
        {
            await stdout.WriteLineAsync("Card: " + title).ConfigureAwait(false);
            foreach (var cardLine in text.Split('\n')) await stdout.WriteLineAsync("      " + cardLine.TrimEnd('\r'))
                .ConfigureAwait(false);
        }
        foreach (var screen in turn.Screens) await stdout.WriteLineAsync(screen).ConfigureAwait(false);
        if (turn.SessionEnded) await stdout.WriteLineAsync("(session ended)").ConfigureAwait(false);
    }

    // ":touch web-1" touches that row of the last screen, as a finger on an Echo Show would.
    private static async Task<ChatTurn?> TouchAsync(ChatSession chat, string what, int lineNumber, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        if (chat.LastScreen is not { } screen)
        {
            await stdout.WriteLineAsync($"  (line {lineNumber}: :touch needs a screen on show; run chat with --device show)")
                .ConfigureAwait(false);
            return null;
        }
        var row = screen.Rows.FirstOrDefault(r => string.Equals(r.Title, what, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Id, what, StringComparison.OrdinalIgnoreCase));
        if (row.Id is null or "")
        {
            await stdout.WriteLineAsync($"  (line {lineNumber}: the screen shows no row \"{what}\")").ConfigureAwait(false);
            return null;
        }
        await stdout.WriteLineAsync($"You (touching {row.Title} on the screen)").ConfigureAwait(false);
        var turn = await chat.TouchAsync(screen.Token, [Isolation.Screens.ScreenTouchHandler.InstanceArgument, row.Id], cancellationToken)
            .ConfigureAwait(false);
        await PrintAsync(turn, stdout).ConfigureAwait(false);
        return turn;
    }

    // What Alexa understood: the request type, intent, dialog state and slots (heard → resolved).
    private static async Task PrintRequestsAsync(ChatTurn turn, TextWriter stdout)
    {
        foreach (var envelope in turn.Requests)
        {
            var request = envelope["request"]!;
            var intent = request["intent"];
            var slots = (intent?["slots"] as System.Text.Json.Nodes.JsonObject ?? [])
                .Select(p => p.Value)
                .Where(s => s?["value"] is not null)
                .Select(s =>
                {
                    var resolved = (string?)s!["resolutions"]?["resolutionsPerAuthority"]?[0]?["values"]?[0]?["value"]?["name"];
                    return $"{(string?)s["name"]}=\"{(string?)s["value"]}\"" + (resolved is null ? "" : $"→{resolved}");
                });
            var parts = new[] { (string?)request["type"], (string?)intent?["name"], (string?)request["dialogState"],
                (string?)intent?["confirmationStatus"] is { } c && c != "NONE" ? c : null }.Where(p => p is not null);
            await stdout.WriteLineAsync($"  [{string.Join(' ', parts)}{(slots.Any() ? " " + string.Join(' ', slots) : "")}]")
                .ConfigureAwait(false);
        }
    }

    private static async Task<bool> CheckAsync(string line, ChatTurn? last, int lineNumber, TextWriter stdout)
    {
        var negate = line.StartsWith("=>!", StringComparison.Ordinal);
        var expected = Squash(line[(negate ? 3 : 2)..]);
        var actual = Squash(last?.AllText ?? "");
        var contains = actual.Contains(expected, StringComparison.OrdinalIgnoreCase);
        if (contains != negate) return true;
        await stdout.WriteLineAsync(
            $"  EXPECTATION FAILED (line {lineNumber}): Alexa's answer should {(negate ? "not " : "")}contain \"{expected}\".")
            .ConfigureAwait(false);
        return false;
    }

    private static string Squash(string text) => Spaces().Replace(text, " ").Trim();

    /// <summary>Reads "10m", "90s", "2h" or "1d".</summary>
    public static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var m = DurationPattern().Match(text);
        if (!m.Success) return false;
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        duration = m.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
        return duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([smhd])$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Progressive responses, printed where the user reads Alexa's answers.</summary>
    private sealed class ChatProgress(TextWriter writer) : IProgressiveResponse
    {
        public async Task<bool> SayAsync(string text, CancellationToken cancellationToken)
        {
            await writer.WriteLineAsync("Alexa (while working): " + text).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Drops log lines, so the conversation stays readable; --log shows them on stderr.</summary>
    private sealed class DiscardLogSink : ILogSink
    {
        public void Write(string jsonLine) { }
    }
}
