using System.Text;
using System.Xml;
using System.Xml.Linq;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>
/// An AWS Query-protocol service (Auto Scaling, ELBv2, IAM) over <see cref="SignedJsonClient"/>: the request is
/// form-encoded Action=…&amp;Version=… with list members as Name.member.N, and the answer is XML in the service's
/// namespace, read here by element name only (no serializer, so nothing for the trimmer to lose).
/// </summary>
internal sealed class QueryClient(SignedJsonClient http, string version)
{
    /// <summary>Calls the action and returns its &lt;ActionResult&gt; element (an empty one when the answer has none).</summary>
    public async Task<XElement> CallAsync(string operation, string action, IEnumerable<(string Name, string Value)> parameters,
        CancellationToken cancellationToken)
    {
        var form = new StringBuilder("Action=").Append(Uri.EscapeDataString(action))
            .Append("&Version=").Append(Uri.EscapeDataString(version));
        foreach (var (name, value) in parameters)
            form.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        var body = await http.PostFormAsync(operation, form.ToString(), cancellationToken).ConfigureAwait(false);
        try
        {
            var root = body.Length == 0 ? new XElement(action + "Response") : XElement.Parse(Encoding.UTF8.GetString(body));
            return Child(root, action + "Result") ?? new XElement(action + "Result");
        }
        catch (XmlException e)
        {
            throw new AwsCallException(operation, AwsFailure.Other, null, null, "Unreadable response: " + e.Message, e);
        }
    }

    /// <summary>The first child element with this local name.</summary>
    public static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The text of the first child element with this local name.</summary>
    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    /// <summary>The &lt;member&gt; elements of a list child.</summary>
    public static IEnumerable<XElement> Members(XElement? parent, string list) =>
        Child(parent, list)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    /// <summary>"true" / "false" as AWS writes them.</summary>
    public static bool? Bool(XElement? parent, string name) => Text(parent, name)?.Trim() switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    /// <summary>A list parameter: Name.member.1, Name.member.2, …</summary>
    public static IEnumerable<(string Name, string Value)> List(string name, IEnumerable<string> values) =>
        values.Select((v, i) => ($"{name}.member.{i + 1}", v));
}
