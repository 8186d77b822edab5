using System.Text.RegularExpressions;
using SecurityAlexa.Local;
using SecurityAlexa.Local.Chat;
using SecurityAlexa.Tests.Shipping;

namespace SecurityAlexa.Tests.Local;

/// <summary>
/// Every intent of the ja-JP model, said in Japanese to the skill in the sandbox account through the local runner:
/// understood as that intent, and answered in Japanese with no English sentence.
/// </summary>
public sealed partial class JapaneseIntentTests
{
    private static readonly InteractionModel Japanese = InteractionModel.Load(RepoFiles.JapaneseModelPath);

    // Japanese slot values that exist in the sandbox fleet.
    private static readonly Dictionary<string, string> Said = new(StringComparer.Ordinal)
    {
        ["TAG_KEY"] = "環境", ["TAG_VALUE"] = "本番", ["INSTANCE_NAME"] = "ウェブ1", ["SEVERITY"] = "緊急", ["WHICH_ONES"] = "全部",
        ["SCOPE"] = "脆弱な", ["ISOLATION_REASON"] = "調査", ["AMAZON.NUMBER"] = "三", ["AMAZON.FOUR_DIGIT_NUMBER"] = "一二三四",
        ["IP_ADDRESS"] = "ニーゼロサンてんゼロてんイチイチサンてんゴ", ["AMAZON.DURATION"] = "六時間", ["AMAZON.DATE"] = "昨日",
        ["ACCOUNT"] = "すべて", ["REGION"] = "アイルランド",
    };

    /// <summary>Each intent with the first of its samples that needs no earlier turn, slots filled.</summary>
    public static TheoryData<string, string> FirstSamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var intent in Japanese.Intents.Where(i => i.Samples.Count > 0))
        {
            var sample = intent.Samples.FirstOrDefault(s => s.Contains('{', StringComparison.Ordinal)) ?? intent.Samples[0];
            data.Add(intent.Name, SlotReference().Replace(sample, m => Said[intent.Slot(m.Groups[1].Value)!.Type]));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FirstSamples))]
    public async Task Intent_SaidInJapanese_IsUnderstoodAndAnsweredInJapanese(string intent, string utterance)
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "セキュリティアシスタントを開いて\n" + utterance + "\n");
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await LocalRunner.RunAsync(["chat", "--sandbox", "--locale", "ja-JP", "--intents", "--script", script],
                new StringReader(""), stdout, stderr, CancellationToken.None);

            var output = stdout.ToString().ReplaceLineEndings("\n");
            Assert.True(exit == 0, output + stderr);
            Assert.Contains($"[IntentRequest {intent}", output, StringComparison.Ordinal);
            var answer = output.Split('\n').Last(l => l.StartsWith("Alexa: ", StringComparison.Ordinal));
            Assert.Matches(Kana(), answer);
            Assert.False(Skill.JapaneseSpeechTests.HasEnglishSentence(answer, out var run), $"{answer}: \"{run}\"");
            Assert.DoesNotContain("聞き取れませんでした", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("こちらで問題が起きました", answer, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex SlotReference();

    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}]")]
    private static partial Regex Kana();
}
