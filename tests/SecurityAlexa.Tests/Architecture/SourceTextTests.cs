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
    public void EverySourceLine_FitsIn140Characters()
    {
        var files = SourceFiles();
        Assert.True(files.Count > 100, "src/ was not found: " + files.Count + " files");

        var tooLong = files
            .SelectMany(f => Lines(f).Where(l => l.Text.Length > MaxLineLength).Select(l => $"{f}:{l.Number} ({l.Text.Length})"))
            .ToList();

        Assert.True(tooLong.Count == 0, "Lines over 140 characters:\n" + string.Join("\n", tooLong));
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
