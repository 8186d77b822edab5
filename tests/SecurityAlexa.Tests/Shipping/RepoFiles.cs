namespace SecurityAlexa.Tests.Shipping;

/// <summary>Files of the repository the tests check (template.yaml, skill-package/, .ci/), found from the test's folder.</summary>
public static class RepoFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SecurityAlexa.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (SecurityAlexa.sln) above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A file's text.</summary>
    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>The interaction model's path.</summary>
    public static string ModelPath => Path("skill-package", "interactionModels", "custom", "en-US.json");

    /// <summary>The ja-JP interaction model's path.</summary>
    public static string JapaneseModelPath => Path("skill-package", "interactionModels", "custom", "ja-JP.json");

    /// <summary>The manifest's path.</summary>
    public static string ManifestPath => Path("skill-package", "skill.json");
}
