using System.Text.Json;

namespace SecurityAlexa.Tests.Support;

/// <summary>
/// When SECURITYALEXA_CAPTURE_RESPONSES names a folder, every Alexa response the end-to-end tests produce is
/// written there, so that .ci/check-package can type-check them against Amazon's response model (ask-sdk-model).
/// </summary>
public static class ResponseCapture
{
    private static readonly string? Folder = Environment.GetEnvironmentVariable("SECURITYALEXA_CAPTURE_RESPONSES");
    private static int _count;

    /// <summary>Saves the response to an Alexa request (event invocations answer in their own format and are skipped).</summary>
    public static void Save(string request, string response)
    {
        if (string.IsNullOrEmpty(Folder) || IsEvent(request)) return;
        Directory.CreateDirectory(Folder);
        var n = Interlocked.Increment(ref _count);
        File.WriteAllText(Path.Combine(Folder, $"response-{Environment.ProcessId}-{n:D5}.json"), response);
    }

    private static bool IsEvent(string request)
    {
        try
        {
            using var doc = JsonDocument.Parse(request);
            // EventBridge events and SQS batches are answered with an event result or a batch answer, not an Alexa response.
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && (doc.RootElement.TryGetProperty("detail-type", out _) || doc.RootElement.TryGetProperty("Records", out _));
        }
        catch (JsonException)
        {
            return false; // unreadable requests still get an Alexa response, which must be valid too
        }
    }
}
