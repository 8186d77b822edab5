using Amazon.Runtime;
using SecurityAlexa.Aws;
using WireMock.Server;

namespace SecurityAlexa.Tests.Support;

/// <summary>Fixed credentials and a loopback WireMock server for the signed HTTP clients, so tests never depend on the machine.</summary>
internal static class FakeAws
{
    public const string AccessKey = "AKIDSECURITYALEXATEST";
    public const string Region = "us-east-1";

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKey, "test-secret-key");

    /// <summary>A WireMock server on 127.0.0.1 with a random port.</summary>
    public static WireMockServer Server() => WireMockServer.Start(new WireMock.Settings.WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    /// <summary>
    /// No back-off delays, so retry tests are not timed; long attempt and connect time-outs, because WireMock's
    /// first answer on a busy machine can take seconds and must not look like a hung call.
    /// </summary>
    public static SignedJsonOptions NoDelay { get; } = new()
    {
        BaseDelay = TimeSpan.Zero, MaxRetries = 3, AttemptTimeout = TimeSpan.FromSeconds(60), ConnectTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A signed client for a service, pointed at the server through its AWS_ENDPOINT_URL_ variable.</summary>
    public static SignedJsonClient Client(WireMockServer server, AwsService service, SignedJsonOptions? options = null) =>
        new(service, Region, new Dictionary<string, string> { ["AWS_ENDPOINT_URL_" + service.EndpointEnvironmentSuffix] = server.Urls[0] },
            Credentials, options: options ?? NoDelay);

    /// <summary>The value of a request header, or null.</summary>
    public static string? Header(WireMock.Logging.ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
