using System.Text.Json.Nodes;

namespace SecurityAlexa.Tests.Support;

/// <summary>Our own request fixtures (copied beside the tests) and the repository's events/ folder.</summary>
public static class Fixtures
{
    /// <summary>The folder holding Fixtures/requests/*.json in the test output.</summary>
    public static string RequestsDir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests");

    /// <summary>The text of one request fixture.</summary>
    public static string Request(string name) => File.ReadAllText(Path.Combine(RequestsDir, name));

    /// <summary>The bytes of one request fixture, exactly as stored.</summary>
    public static byte[] RequestBytes(string name) => File.ReadAllBytes(Path.Combine(RequestsDir, name));

    /// <summary>One request fixture as JSON, for edits.</summary>
    public static JsonObject RequestJson(string name) => JsonNode.Parse(Request(name))!.AsObject();

    /// <summary>A fake clock set to a fixture's own timestamp, so the request is fresh by Alexa's 150 s rule.</summary>
    public static Microsoft.Extensions.Time.Testing.FakeTimeProvider ClockAt(string name)
    {
        var text = (string?)RequestJson(name)["request"]?["timestamp"] ?? throw new InvalidOperationException(name + " has no string timestamp.");
        return new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every request fixture's file name.</summary>
    public static IEnumerable<string> RequestNames =>
        Directory.EnumerateFiles(RequestsDir, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>The repository root: the nearest folder above the test output that holds SecurityAlexa.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SecurityAlexa.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("SecurityAlexa.sln was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The repository's sample events.</summary>
    public static string EventsDir => Path.Combine(RepoRoot, "events");
}
