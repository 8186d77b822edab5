using System.Net.Http.Headers;
using System.Text.Json;

namespace SecurityAlexa.Aws;

/// <summary>
/// Reads an AWS JSON error: the code from the x-amzn-ErrorType header or the body's __type / code
/// (with any "namespace#" prefix or ":url" suffix removed), and the message from message / Message.
/// </summary>
internal static class AwsErrorBody
{
    /// <summary>The error code and message of a failed response; either may be null.</summary>
    public static (string? Code, string? Message) Parse(HttpResponseHeaders headers, ReadOnlySpan<byte> body)
    {
        string? code = null;
        string? message = null;
        if (headers.TryGetValues("x-amzn-ErrorType", out var values)) code = Clean(values.FirstOrDefault());
        if (!body.IsEmpty)
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                using var doc = JsonDocument.ParseValue(ref reader);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in doc.RootElement.EnumerateObject())
                    {
                        if (property.Value.ValueKind != JsonValueKind.String) continue;
                        switch (property.Name)
                        {
                            case "__type" or "code" or "Code" when code is null:
                                code = Clean(property.Value.GetString());
                                break;
                            case "message" or "Message" or "errorMessage":
                                message ??= property.Value.GetString();
                                break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: a Query-protocol service's XML error, or a proxy's HTML page (then the status alone must do).
                (code, message) = FromXml(body, code);
            }
        }
        return (code, message);
    }

    // <ErrorResponse><Error><Code>Throttling</Code><Message>…</Message></Error></ErrorResponse> (IAM, Auto Scaling, ELBv2).
    private static (string? Code, string? Message) FromXml(ReadOnlySpan<byte> body, string? code)
    {
        try
        {
            var root = System.Xml.Linq.XElement.Parse(System.Text.Encoding.UTF8.GetString(body));
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            if (error is null) return (code, null);
            string? Child(string name) => error.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            return (code ?? Clean(Child("Code")), Child("Message"));
        }
        catch (System.Xml.XmlException)
        {
            return (code, null);
        }
    }

    // "com.amazonaws.inspector2#AccessDeniedException" or "AccessDeniedException:http://internal..." -> "AccessDeniedException"
    private static string? Clean(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var s = raw.Trim();
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) s = s[..colon];
        var hash = s.LastIndexOf('#');
        if (hash >= 0) s = s[(hash + 1)..];
        return s.Length == 0 ? null : s;
    }
}
