namespace SecurityAlexa.Tests.Shipping;

/// <summary>
/// Tools only CI installs (npm packages under .ci/package, by .ci/check-package). Tests that need them skip,
/// saying why, on a machine with only the .NET SDK, and fail instead when SECURITYALEXA_REQUIRE_CI_TOOLS=1.
/// </summary>
public static class CiTools
{
    /// <summary>Amazon's skill-package Swagger spec, shipped in the ask-smapi-model npm package.</summary>
    public static string SmapiSpecPath => RepoFiles.Path(".ci", "package", "node_modules", "ask-smapi-model", "spec.json");

    /// <summary>True when .ci/check-package asked for these tests to run, not skip.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("SECURITYALEXA_REQUIRE_CI_TOOLS") == "1";

    /// <summary>Why the tools are missing, or null when they are present.</summary>
    public static string? Missing() =>
        File.Exists(SmapiSpecPath) ? null : $"{SmapiSpecPath} is missing: run .ci/check-package (it runs npm ci in .ci/package).";
}

/// <summary>A test that needs the CI tools: skipped without them, unless CI requires them.</summary>
public sealed class CiToolFactAttribute : FactAttribute
{
    public CiToolFactAttribute()
    {
        if (!CiTools.Required && CiTools.Missing() is { } why) Skip = why;
    }
}
