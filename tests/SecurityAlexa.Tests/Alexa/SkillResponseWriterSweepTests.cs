using System.Text;
using System.Text.Json;
using SecurityAlexa.Alexa;
using SecurityAlexa.Local;
using SecurityAlexa.Local.Chat;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Alexa;

/// <summary>
/// Every response the conversation scripts and the request fixtures get from the real entry point, which the
/// hand-written writer now produces, must be what the serializer writes for the same response.
/// </summary>
public sealed class SkillResponseWriterSweepTests
{
    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "conversations", name);

    [Fact]
    public async Task EveryScriptedResponse_ReadAndWrittenByTheSerializer_IsTheSameBytes()
    {
        var securityCode = new Dictionary<string, string>(SkillConfig.ProcessEnvironment(), StringComparer.Ordinal)
        {
            ["SECURITY_CODE"] = "mutating",
        };
        var responses = new List<byte[]>();
        responses.AddRange(await PlayAsync("whole-story.txt", new RunnerOptions { Screen = true }));
        responses.AddRange(await PlayAsync("whole-story.txt", new RunnerOptions()));
        responses.AddRange(await PlayAsync("whole-story.ja-JP.txt", new RunnerOptions { Locale = "ja-JP", Screen = true }));
        responses.AddRange(await PlayAsync("screens.txt", new RunnerOptions { Screen = true }));
        responses.AddRange(await PlayAsync("incident.txt", new RunnerOptions { Screen = true }));
        responses.AddRange(await PlayAsync("incident.ja-JP.txt", new RunnerOptions { Locale = "ja-JP" }));
        responses.AddRange(await PlayAsync("accounts.txt", new RunnerOptions { Accounts = true }));
        responses.AddRange(await PlayAsync("built-ins.txt", new RunnerOptions()));
        responses.AddRange(await PlayAsync("containment.txt", new RunnerOptions()));
        responses.AddRange(await PlayAsync("guardduty.txt", new RunnerOptions()));
        responses.AddRange(await PlayAsync("wider-en.txt", new RunnerOptions { Screen = true }));
        responses.AddRange(await PlayAsync("security-code-and-count.txt", new RunnerOptions { Environment = securityCode }));
        responses.AddRange(await PlayAsync("security-code-and-count.ja-JP.txt",
            new RunnerOptions { Locale = "ja-JP", Environment = securityCode }));
        var driver = new SkillDriver();
        foreach (var name in Fixtures.RequestNames)
            responses.Add(Encoding.UTF8.GetBytes(await driver.SendRawAsync(Fixtures.Request(name))));

        // 183 when written; a script that stopped early would shrink the sweep unnoticed.
        Assert.InRange(responses.Count, 150, 1000);
        foreach (var bytes in responses)
        {
            var response = JsonSerializer.Deserialize(bytes, AlexaJsonContext.Wire.SkillResponse)!;
            var serializer = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(response, AlexaJsonContext.Wire.SkillResponse));
            Assert.Equal(serializer, Encoding.UTF8.GetString(bytes));
            Assert.Equal(serializer, Encoding.UTF8.GetString(SkillResponseWriter.ToUtf8Bytes(response)));
        }

        // The sweep is only as good as what it covers: every shape the skill sends must be among the responses.
        var parsed = responses.Select(b => JsonSerializer.Deserialize(b, AlexaJsonContext.Wire.SkillResponse)!).ToList();
        var directives = parsed.SelectMany(r => r.Response.Directives ?? []).ToList();
        Assert.Contains(directives, d => d is AplRenderDocument { Data.Items.Count: > 0 });
        Assert.Contains(directives, d => d is DialogElicitSlot { UpdatedIntent.Slots.Count: > 0 });
        Assert.Contains(directives, d => d is DialogConfirmIntent { UpdatedIntent.Slots.Count: > 0 });
        // No handler sends Dialog.Delegate today (Reply.Delegate is unused); the hand-built cases cover it.
        Assert.Contains(directives, d => d is DialogUpdateDynamicEntities { Types.Count: > 0 });
        Assert.Contains(parsed, r => r.Response.Card is { Title: not null });
        Assert.Contains(parsed, r => r.Response.Reprompt?.OutputSpeech is not null);
        Assert.Contains(parsed, r => r.SessionAttributes is { Count: > 0 });
        Assert.Contains(parsed, r => r.Response.CanFulfillIntent is not null);
        Assert.Contains(parsed, r => r.Response.OutputSpeech?.Ssml?.Contains("隔離", StringComparison.Ordinal) == true);
        Assert.Contains(parsed, r => r.Response.ShouldEndSession == true);
    }

    // Plays a script as the chat command does, recording the bytes of every response.
    private static async Task<List<byte[]>> PlayAsync(string script, RunnerOptions options)
    {
        options = new RunnerOptions
        {
            Sandbox = true, Locale = options.Locale, Screen = options.Screen, Accounts = options.Accounts,
            Environment = options.Environment,
        };
        var account = SandboxAccount.CreateDefault(TimeProvider.System);
        var host = LocalRunner.CreateHost(options, TextWriter.Null, new MemoryLogSink(), _ => new RecordingProgressiveResponse(), account);
        var responses = new List<byte[]>();
        var model = InteractionModel.Load(ChatCommand.ModelPathFor(options.Locale));
        var chat = new ChatSession(model, async (json, ct) =>
        {
            var bytes = await host.Dispatcher.InvokeAsync(Encoding.UTF8.GetBytes(json), new InvocationInfo(), ct);
            responses.Add(bytes);
            return InvocationDispatcher.Text(bytes);
        }, host.Time.GetUtcNow, host.Config.SkillId ?? ChatSession.DefaultSkillId, options.Locale, options.Screen);

        foreach (var line in await File.ReadAllLinesAsync(Script(script)))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#') || text.StartsWith("=>", StringComparison.Ordinal)) continue;
            if (text.StartsWith(":wait", StringComparison.Ordinal))
            {
                ((SandboxClock)host.Time).Advance(ParseWait(text[5..].Trim()));
                await account.Queue.DeliverToAsync(host.Dispatcher, CancellationToken.None);
            }
            else if (text.StartsWith(":touch", StringComparison.Ordinal))
            {
                var screen = chat.LastScreen!.Value;
                var row = screen.Rows.First(r => string.Equals(r.Title, text[6..].Trim(), StringComparison.OrdinalIgnoreCase));
                await chat.TouchAsync(screen.Token, [SecurityAlexa.Isolation.Screens.ScreenTouchHandler.InstanceArgument, row.Id]);
            }
            else
            {
                await chat.SayAsync(text);
            }
        }
        Assert.NotEmpty(responses);
        return responses;
    }

    private static TimeSpan ParseWait(string text)
    {
        var amount = int.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
    }
}
