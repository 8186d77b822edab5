using System.Globalization;

namespace SecurityAlexa.Local;

/// <summary>The runner's options.</summary>
internal sealed partial record RunnerOptions
{
    /// <summary>Use the sandbox account.</summary>
    public bool Sandbox { get; init; }

    /// <summary>The port for serve.</summary>
    public int? Port { get; init; }

    /// <summary>The first positional argument (the event file for invoke).</summary>
    public string? Positional { get; init; }

    /// <summary>chat: the script file to read utterances from.</summary>
    public string? Script { get; init; }

    /// <summary>chat: the interaction model file.</summary>
    public string? Model { get; init; }

    /// <summary>chat: the locale of the conversation (request.locale and the default model).</summary>
    public string Locale { get; init; } = "en-US";

    /// <summary>chat: show each request's intent and slots.</summary>
    public bool ShowIntents { get; init; }

    /// <summary>chat: show log lines on stderr.</summary>
    public bool Log { get; init; }

    /// <summary>chat and invoke: requests come from a device with a screen (the APL interface), as with --device show.</summary>
    public bool Screen { get; init; }

    /// <summary>chat --sandbox: sandbox time each EC2 call takes, so that a turn can run out of time (--aws-latency MS).</summary>
    public TimeSpan AwsLatency { get; init; }
    /// <summary>--sandbox with its other accounts and region (--accounts).</summary>
    public bool Accounts { get; init; }

    /// <summary>hash-code: the KMS key to encrypt the hash under (key id, ARN or alias).</summary>
    public string? KmsKey { get; init; }

    /// <summary>Other positional arguments.</summary>
    public IReadOnlyList<string> More { get; init; } = [];

    /// <summary>A parse error, if any.</summary>
    public string? Error { get; init; }

    /// <summary>The settings to run with; the process environment when null.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Parses the arguments after the command.</summary>
    public static RunnerOptions Parse(IEnumerable<string> args)
    {
        var result = new RunnerOptions();
        var positional = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            switch (e.Current)
            {
                case "--sandbox":
                    result = result with { Sandbox = true };
                    break;
                case "--port":
                    if (!e.MoveNext() || !int.TryParse(e.Current, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)
                        || port is < 1 or > 65535)
                        return result with { Error = "--port needs a number from 1 to 65535." };
                    result = result with { Port = port };
                    break;
                case "--script":
                    if (!e.MoveNext()) return result with { Error = "--script needs a file." };
                    result = result with { Script = e.Current };
                    break;
                case "--model":
                    if (!e.MoveNext()) return result with { Error = "--model needs a file." };
                    result = result with { Model = e.Current };
                    break;
                case "--locale":
                    if (!e.MoveNext() || !LocalePattern().IsMatch(e.Current)) return result
                        with { Error = "--locale needs a locale such as en-US or ja-JP." };
                    result = result with { Locale = e.Current };
                    break;
                case "--aws-latency":
                    if (!e.MoveNext() || !int.TryParse(e.Current, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                        || ms is < 0 or > 5000)
                        return result with { Error = "--aws-latency needs milliseconds from 0 to 5000." };
                    result = result with { AwsLatency = TimeSpan.FromMilliseconds(ms) };
                    break;
                case "--accounts":
                    result = result with { Accounts = true };
                    break;
                case "--intents":
                    result = result with { ShowIntents = true };
                    break;
                case "--log":
                    result = result with { Log = true };
                    break;
                case "--kms-key":
                    if (!e.MoveNext() || e.Current.StartsWith("--", StringComparison.Ordinal)) return result
                        with { Error = "--kms-key needs a key id, ARN or alias." };
                    result = result with { KmsKey = e.Current };
                    break;
                case "--device":
                    if (!e.MoveNext() || e.Current != "show") return result
                        with { Error = "--device takes one value: show (a device with a screen)." };
                    result = result with { Screen = true };
                    break;
                default:
                    if (e.Current.StartsWith("--", StringComparison.Ordinal)) return result
                        with { Error = $"Unknown option {e.Current}." };
                    positional.Add(e.Current);
                    break;
            }
        }
        return result with { Positional = positional.FirstOrDefault(), More = positional.Skip(1).ToList() };
    }

    // "en-US", "ja-JP": also the model's file name, so nothing else may get into a path.
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]{2}-[A-Z]{2}$")]
    private static partial System.Text.RegularExpressions.Regex LocalePattern();
}
