namespace SecurityAlexa.Bench.Fakes;

/// <summary>
/// The other query-protocol services the isolation read-back asks (containment's plan): an account whose instances are in
/// no Auto Scaling group and no load balancer's target group, as the bench's fleet is.
/// </summary>
internal static class QueryXml
{
    /// <summary>The XML answer for a form-encoded request body, or null for an action it does not know.</summary>
    public static string? Respond(string formBody)
    {
        var action = formBody.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "Action")?[1];
        return action switch
        {
            "DescribeAutoScalingInstances" => Empty(action, "http://autoscaling.amazonaws.com/doc/2011-01-01/", "AutoScalingInstances"),
            "DescribeTargetGroups" => Empty(action, "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/", "TargetGroups"),
            _ => null,
        };
    }

    private static string Empty(string action, string ns, string list) =>
        $"<?xml version=\"1.0\"?><{action}Response xmlns=\"{ns}\"><{action}Result><{list}/></{action}Result>"
        + $"<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></{action}Response>";
}
