using System.Text.RegularExpressions;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Architecture;

/// <summary>
/// Rules read off the source text itself (issue 17 §2 and §5): lines fit in 140 characters, and no capability decides
/// anything by matching an AWS error code (adapters turn the codes that matter into typed results).
/// </summary>
public sealed partial class SourceTextTests
{
    private const int MaxLineLength = 140;

    /// <summary>
    /// Files other developers were working in while the rest was wrapped; temporary, to be wrapped and emptied at the merge.
    /// The test fails when one of them no longer needs to be here, so the list only shrinks.
    /// </summary>
    private static readonly string[] NotYetWrapped =
    [
        "src/SecurityAlexa/Accounts/AccountTurns.cs",
        "src/SecurityAlexa/Accounts/ScopeMemory.cs",
        "src/SecurityAlexa/Aws/AwsClients.cs",
        "src/SecurityAlexa/Aws/Ec2NetworkAcls.cs",
        "src/SecurityAlexa/Aws/GuardDutyClient.cs",
        "src/SecurityAlexa/Aws/IamClient.cs",
        "src/SecurityAlexa/Aws/MemberCredentialCache.cs",
        "src/SecurityAlexa/Aws/SignedJsonClient.cs",
        "src/SecurityAlexa/Aws/SsmOpsCenter.cs",
        "src/SecurityAlexa/AwsServices.cs",
        "src/SecurityAlexa/ScopedModules.cs",
        "src/SecurityAlexa/Skill/BackgroundDeadline.cs",
        "src/SecurityAlexa/Skill/TurnScope.cs",
        "src/SecurityAlexa/SkillHost.cs",
        "src/SecurityAlexa/SkillModules.cs",
        "src/SecurityAlexa/State/StateKeys.cs",
    ];

    /// <summary>The folders that may know AWS error codes: the adapters, the sandbox that imitates them, and the shared leaf.</summary>
    private static readonly string[] KnowErrorCodes = ["Aws", "Sandbox", "AwsContract"];

    private static string Root => Fixtures.RepoRoot;

    // Every C# file under src/, as a path relative to the repository with forward slashes; build output left out.
    private static List<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<(int Number, string Text)> Lines(string file) =>
        File.ReadAllLines(Path.Combine(Root, file)).Select((text, i) => (i + 1, text));

    [Fact]
    public void EverySourceLine_FitsIn140Characters_ButForTheFilesNotYetWrapped()
    {
        var files = SourceFiles();
        Assert.True(files.Count > 100, "src/ was not found: " + files.Count + " files");

        var tooLong = files.Where(f => !NotYetWrapped.Contains(f))
            .SelectMany(f => Lines(f).Where(l => l.Text.Length > MaxLineLength).Select(l => $"{f}:{l.Number} ({l.Text.Length})"))
            .ToList();

        Assert.True(tooLong.Count == 0, "Lines over 140 characters:\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void TheFilesNotYetWrapped_AllStillHaveALongLine_SoTheListOnlyShrinks()
    {
        var done = NotYetWrapped.Where(f => !File.Exists(Path.Combine(Root, f)) || Lines(f).All(l => l.Text.Length <= MaxLineLength))
            .ToList();

        Assert.True(done.Count == 0, "Wrapped (or gone): take these off NotYetWrapped:\n" + string.Join("\n", done));
    }

    [Fact]
    public void NoCapability_MatchesAnAwsErrorCode()
    {
        var capabilityFiles = SourceFiles().Where(f => f.StartsWith("src/SecurityAlexa/", StringComparison.Ordinal)
            && !KnowErrorCodes.Any(folder => f.StartsWith("src/SecurityAlexa/" + folder + "/", StringComparison.Ordinal))).ToList();
        Assert.Contains("src/SecurityAlexa/Isolation/InstanceIsolator.cs", capabilityFiles);

        var found = capabilityFiles.SelectMany(f => Lines(f).Where(l => ErrorCodeMatch().IsMatch(l.Text))
            .Select(l => $"{f}:{l.Number}: {l.Text.Trim()}")).ToList();

        Assert.True(found.Count == 0, "AWS error codes matched outside the adapters:\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("catch (AwsCallException e) when (e.ErrorCode == \"InvalidGroup.Duplicate\")")]
    [InlineData("if (e.ErrorCode is \"ThrottlingException\") return;")]
    [InlineData("var code = \"InvalidPermission.NotFound\";")]
    public void TheErrorCodeRule_CatchesTheShapesItIsMeantFor(string line) => Assert.Matches(ErrorCodeMatch(), line);

    [Theory]
    [InlineData("(\"code\", e.ErrorCode ?? e.Failure.ToString())")]
    [InlineData("throw new AwsCallException(op, AwsFailure.InvalidRequest, AwsErrorCodes.Ec2GroupDuplicate, status, message);")]
    public void TheErrorCodeRule_LetsReportingACodeThrough(string line) => Assert.DoesNotMatch(ErrorCodeMatch(), line);

    // A comparison of ErrorCode with anything, or a literal that starts like one of EC2's codes.
    [GeneratedRegex("""ErrorCode\s*(==|!=|is\s)|"Invalid[A-Z]""")]
    private static partial Regex ErrorCodeMatch();
}
