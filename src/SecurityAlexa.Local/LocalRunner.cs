using SecurityAlexa.Alexa;
using SecurityAlexa.Local.Chat;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Local;

/// <summary>The local runner's command line: invoke, serve and chat.</summary>
internal static class LocalRunner
{
    private const string Usage = """
        Usage:
          SecurityAlexa.Local chat [--sandbox] [--locale L] [--device show] [--script FILE] [--model FILE] [--intents] [--log]
                                   [--aws-latency MS] [--accounts]
                                                                 Talk to the skill: type what you would say, read what Alexa would say.
                                                                 Reads the terminal, a script file, or piped input.
          SecurityAlexa.Local invoke <event.json> [--sandbox] [--device show]
                                                                 Run one request and print the response JSON (like sam local invoke -e).
          SecurityAlexa.Local serve [--port N] [--sandbox] [--aws-latency MS]
                                                                 Answer POST / on 127.0.0.1 with the skill (default port 3000);
                                                                 with --sandbox, its work queue is delivered to the function every second.
          SecurityAlexa.Local hash-id <personId or userId>      Print the salted hash for ALLOWED_SPEAKERS / ALLOWED_USERS
                                                                 (uses ID_HASH_SALT).
          SecurityAlexa.Local hash-code [--kms-key KEY]        Read a four-digit code from stdin; print the value for the
                                                                 SECURITY_CODE_PARAMETER SecureString: its peppered hash
                                                                 (SECURITY_CODE_PEPPER) encrypted under KEY (default SECURITY_CODE_KMS_KEY).

        --sandbox   Use the built-in simulated AWS account instead of real AWS credentials and endpoints.
                    It also sets ALLOW_ANY_SPEAKER=true and REQUEST_AGE_CHECK=off unless they are set.
        --script    chat: read utterances from FILE. Lines: an utterance; ":wait 10m" moves the sandbox clock on
                    and delivers the sandbox's work queue to the function, as Lambda's SQS trigger would;
                    ":touch web-1" touches that row of the last screen (with --device show);
                    "=> words" checks that Alexa's last answer contains them ("=>! words": does not); "#" comments.
        --locale    chat: the locale to talk in, en-US (default) or ja-JP: the model it understands you with and request.locale.
        --model     chat: the interaction model to understand utterances with (default: the skill package's model for --locale).
        --aws-latency MS  chat --sandbox, serve --sandbox: every EC2 call takes MS of sandbox time (nobody waits), so that a large
                    isolation runs out of turn and goes on in the background, from the work queue.
        --accounts  chat, invoke, serve with --sandbox: the sandbox's other accounts and region too (payments, legacy
                    whose role refuses, and Ireland), as MEMBER_ACCOUNTS, MEMBER_EXTERNAL_ID and REGIONS unless they are set.
        --intents   chat: show each request Alexa would send (intent, dialog state, slots heard and resolved).
        --log       chat: show the skill's log lines on stderr.
        --device show  chat, invoke: requests come from a device with a screen (they declare Alexa.Presentation.APL),
                    so the skill also sends screens; each is shown as "(screen: <document>, N items)" (invoke: on stderr).
                    Without it no request declares a screen and no screen is sent.
        Logs go to stderr. SKILL_ID is checked only when it is set. Sample events keep working because the
        runner defaults REQUEST_AGE_CHECK to "mutating".
        """;

    /// <summary>Runs a command; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken) =>
        RunAsync(args, stdin, stdout, stderr, SkillConfig.ProcessEnvironment(), cancellationToken);

    /// <summary>Runs a command with an explicit environment (SKILL_ID and the other settings); returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, Action<Uri>? listening = null)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? 2 : 0;
        }

        var options = RunnerOptions.Parse(args.Skip(1)) with { Environment = environment };
        if (options.Error is not null)
        {
            await stderr.WriteLineAsync(options.Error + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }

        switch (args[0])
        {
            case "invoke":
                return await InvokeAsync(options, stdout, stderr, cancellationToken).ConfigureAwait(false);
            case "chat":
                return await ChatCommand.RunAsync(options, stdin, stdout, stderr,
                    interactive: ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected, cancellationToken)
                        .ConfigureAwait(false);
            case "hash-id":
                return await HashIdAsync(options, stdout, stderr).ConfigureAwait(false);
            case "hash-code":
                return await HashCodeAsync(options, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
            case "serve":
            {
                // The sandbox's queue is delivered while serving, as Lambda's event source mapping would.
                var account = options.Sandbox ? SandboxAccount.CreateDefault(TimeProvider.System) : null;
                if (account is not null) account.Latency = options.AwsLatency;
                return await LocalServer.RunAsync(CreateHost(options, stderr, account: account), options.Port ?? 3000, stderr,
                    cancellationToken, listening, account?.Queue).ConfigureAwait(false);
            }
            default:
                await stderr.WriteLineAsync($"Unknown command '{args[0]}'." + Environment.NewLine + Usage).ConfigureAwait(false);
                return 2;
        }
    }

    /// <summary>Builds the host the runner uses: sandbox or real AWS, skill id checked only when configured.</summary>
    public static SkillHost CreateHost(RunnerOptions options, TextWriter stderr, ILogSink? sink = null,
        Func<SkillRequest, IProgressiveResponse>? progress = null, SandboxAccount? account = null)
    {
        var config = SkillConfig.FromEnvironment(RunnerEnvironment(options.Environment ?? SkillConfig.ProcessEnvironment(),
            options.Sandbox, options.Accounts), requireSkillId: false);
        sink ??= new WriterLogSink(stderr);
        progress ??= _ => new WriterProgressiveResponse(stderr);
        if (options.Sandbox && account is not null)
            return SkillHost.Create(config, account.Services(), sink, account.Clock, progress, scoped: account.Scoped());
        return options.Sandbox
            ? SkillHost.ForSandbox(config, sink, progress: progress)
            : SkillHost.Create(config, AwsServices.Create(config), sink, progress: progress);
    }

    /// <summary>
    /// The environment the runner's host sees: the runner plays sample events with fixed timestamps, so
    /// only mutating requests must be fresh; the sandbox also lets any speaker act. Explicit settings win.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RunnerEnvironment(IReadOnlyDictionary<string, string> env, bool sandbox,
        bool accounts = false)
    {
        var result = new Dictionary<string, string>(env, StringComparer.Ordinal);
        if (sandbox && accounts)
            foreach (var (key, value) in SandboxWorld.ScopesEnvironment) result.TryAdd(key, value);
        result.TryAdd("REQUEST_AGE_CHECK", sandbox ? "off" : "mutating");
        if (sandbox)
        {
            result.TryAdd("ALLOW_ANY_SPEAKER", "true");
            // The sandbox's demo code is hashed with this pepper and encrypted under the sandbox's own key.
            result.TryAdd("SECURITY_CODE_PEPPER", SandboxCodeHashKey.DemoPepper);
            // The sandbox is account 111122223333 in us-east-1, where the SecOps role may isolate by tag
            // (events/eventbridge-createtags.json); in Lambda nobody may until ISOLATE_TAG_PRINCIPALS is set.
            result.TryAdd("FUNCTION_ACCOUNT_ID", "111122223333");
            result.TryAdd("AWS_REGION", "us-east-1");
            result.TryAdd("ISOLATE_TAG_PRINCIPALS", "arn:aws:iam::111122223333:role/SecOps");
        }
        return result;
    }

    private static async Task<int> HashIdAsync(RunnerOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (options.Positional is not { } id)
        {
            await stderr.WriteLineAsync("hash-id needs an id." + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }
        var salt = (options.Environment ?? SkillConfig.ProcessEnvironment()).GetValueOrDefault("ID_HASH_SALT") ?? "";
        if (salt.Length == 0)
            await stderr.WriteLineAsync("Note: ID_HASH_SALT is empty; the function must use the same salt as this command.")
                .ConfigureAwait(false);
        await stdout.WriteLineAsync(IdentityHash.Of(id.Trim(), salt)).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> HashCodeAsync(RunnerOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        var env = options.Environment ?? SkillConfig.ProcessEnvironment();
        var pepper = env.GetValueOrDefault("SECURITY_CODE_PEPPER");
        if (!SecurityCodeHash.IsUsablePepper(pepper))
        {
            await stderr.WriteLineAsync($"Set SECURITY_CODE_PEPPER to the function's pepper (at least {SecurityCodeHash.MinPepperLength} "
                + "characters; the stack's SecurityCodePepperSecret output names the secret that holds it).").ConfigureAwait(false);
            return 2;
        }
        var key = options.KmsKey ?? env.GetValueOrDefault("SECURITY_CODE_KMS_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            await stderr.WriteLineAsync("Give the stack's key with --kms-key (its SecurityCodeKeyArn output) or SECURITY_CODE_KMS_KEY: "
                + "the function refuses a hash that is not encrypted under it.").ConfigureAwait(false);
            return 2;
        }
        // Read from stdin, never from arguments, so the code stays out of shell history.
        var code = (await stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
        if (!SecurityCodeHash.IsWellFormed(code))
        {
            await stderr.WriteLineAsync("The security code must be exactly four digits, given on stdin.").ConfigureAwait(false);
            return 2;
        }
        var hash = SecurityCodeHash.Create(code!, pepper!);
        string stored;
        try
        {
            stored = await EncryptAsync(key.Trim(), hash, env, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonClientException or HttpRequestException or OperationCanceledException)
        {
            await stderr.WriteLineAsync("KMS could not encrypt the hash: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        await stdout.WriteLineAsync(stored).ConfigureAwait(false);
        await stderr.WriteLineAsync("Store it with: aws ssm put-parameter --type SecureString --overwrite --name "
            + SecuritySettings.Default.CodeParameter + " --value '<the line above>'").ConfigureAwait(false);
        return 0;
    }

    // KMS Encrypt needs only kms:Encrypt, which the key policy leaves to the account's administrators; the
    // encryption context is the one the function decrypts with, so the ciphertext is good for nothing else.
    private static async Task<string> EncryptAsync(string key, string hash, IReadOnlyDictionary<string, string> env,
        CancellationToken cancellationToken)
    {
        var region = env.GetValueOrDefault("AWS_REGION") is { Length: > 0 } r ? r
            : env.GetValueOrDefault("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d : "us-east-1";
        using var kms = SecurityAlexa.Aws.AwsClients.KmsClient(region, env, TimeSpan.FromSeconds(30));
        var response = await kms.EncryptAsync(new Amazon.KeyManagementService.Model.EncryptRequest
        {
            KeyId = key,
            Plaintext = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(hash)),
            EncryptionContext = new Dictionary<string, string>(SecurityCodeHash.EncryptionContext, StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false);
        return Convert.ToBase64String(response.CiphertextBlob.ToArray());
    }

    private static async Task<int> InvokeAsync(RunnerOptions options, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        if (options.Positional is not { } path)
        {
            await stderr.WriteLineAsync("invoke needs an event file." + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }
        byte[] payload;
        try
        {
            payload = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"Cannot read {path}: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        var host = CreateHost(options, stderr);
        if (options.Screen) payload = ScreenDevice.Declare(payload);
        var response = await host.Dispatcher.InvokeAsync(payload, new InvocationInfo(), cancellationToken).ConfigureAwait(false);
        var text = InvocationDispatcher.Text(response);
        await stdout.WriteLineAsync(text).ConfigureAwait(false);
        // stdout stays the response JSON alone; what the screen shows goes beside it.
        foreach (var line in ScreenDevice.Describe(text)) await stderr.WriteLineAsync(line).ConfigureAwait(false);
        return 0;
    }
}
