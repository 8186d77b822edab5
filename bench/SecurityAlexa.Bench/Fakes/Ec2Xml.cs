using System.Security;
using System.Text;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>EC2's query-protocol XML answers over a <see cref="FakeFleet"/>, for the real SDK client in the cold-start runs.</summary>
internal static class Ec2Xml
{
    private const string Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /// <summary>The XML answer for a form-encoded EC2 request body, or null for an action it does not know.</summary>
    public static string? Respond(FakeFleet fleet, string formBody)
    {
        var action = formBody.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "Action")?[1];
        var sb = new StringBuilder();
        switch (action)
        {
            case "DescribeTags":
                sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeTagsResponse xmlns=\"").Append(Ns).Append("\"><requestId>bench</requestId><tagSet>");
                foreach (var (id, key, value) in fleet.Tags)
                    sb.Append("<item><resourceId>").Append(id).Append("</resourceId><resourceType>instance</resourceType><key>")
                        .Append(SecurityElement.Escape(key)).Append("</key><value>").Append(SecurityElement.Escape(value)).Append("</value></item>");
                sb.Append("</tagSet></DescribeTagsResponse>");
                return sb.ToString();
            case "DescribeInstances":
                sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeInstancesResponse xmlns=\"").Append(Ns).Append("\"><requestId>bench</requestId><reservationSet>");
                foreach (var i in fleet.Instances.Where(Filters(formBody)))
                {
                    sb.Append("<item><reservationId>r-").Append(i.Id[2..]).Append("</reservationId><ownerId>").Append(FakeFleet.AccountId).Append("</ownerId><instancesSet><item><instanceId>")
                        .Append(i.Id).Append("</instanceId><instanceState><code>16</code><name>").Append(i.State).Append("</name></instanceState><vpcId>vpc-0bench</vpcId>")
                        .Append("<privateIpAddress>10.0.0.1</privateIpAddress><platformDetails>Linux/UNIX</platformDetails><tagSet>");
                    foreach (var (key, value) in i.Tags)
                        sb.Append("<item><key>").Append(SecurityElement.Escape(key)).Append("</key><value>").Append(SecurityElement.Escape(value)).Append("</value></item>");
                    sb.Append("</tagSet></item></instancesSet></item>");
                }
                sb.Append("</reservationSet></DescribeInstancesResponse>");
                return sb.ToString();
            default:
                return null;
        }
    }

    // DescribeInstances' Filter.N.Name / Filter.N.Value.M and InstanceId.N, as far as the skill uses them (tag:K, instance-id, instance-state-name).
    private static Func<FakeInstance, bool> Filters(string formBody)
    {
        var form = formBody.Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')), StringComparer.Ordinal);
        var tests = new List<Func<FakeInstance, bool>>();
        for (var n = 1; form.TryGetValue($"Filter.{n}.Name", out var name); n++)
        {
            var values = new HashSet<string>(StringComparer.Ordinal);
            for (var m = 1; form.TryGetValue($"Filter.{n}.Value.{m}", out var v); m++) values.Add(v);
            if (name.StartsWith("tag:", StringComparison.Ordinal))
            {
                var key = name[4..];
                tests.Add(i => i.Tags.TryGetValue(key, out var v) && values.Contains(v));
            }
            else if (name == "tag-key") tests.Add(i => i.Tags.Keys.Any(values.Contains));
            else if (name == "instance-id") tests.Add(i => values.Contains(i.Id));
            else if (name == "instance-state-name") tests.Add(i => values.Contains(i.State));
        }
        var ids = form.Where(p => p.Key.StartsWith("InstanceId.", StringComparison.Ordinal)).Select(p => p.Value).ToHashSet(StringComparer.Ordinal);
        if (ids.Count > 0) tests.Add(i => ids.Contains(i.Id));
        return i => tests.All(t => t(i));
    }
}
