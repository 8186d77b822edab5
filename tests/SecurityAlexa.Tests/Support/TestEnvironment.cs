using System.Runtime.CompilerServices;

namespace SecurityAlexa.Tests.Support;

/// <summary>
/// Keeps every test off the network: AWS SDK clients get dummy credentials and a closed loopback endpoint,
/// and the SDK never asks the EC2 instance metadata service for credentials.
/// </summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void KeepAwsCallsLocal()
    {
        SetIfUnset("AWS_EC2_METADATA_DISABLED", "true");
        SetIfUnset("AWS_ACCESS_KEY_ID", "AKIDTESTTESTTESTTEST");
        SetIfUnset("AWS_SECRET_ACCESS_KEY", "test-secret-key");
        SetIfUnset("AWS_REGION", "us-east-1");
        // Port 9 (discard) is closed here: an accidental real call fails at once, on this machine.
        SetIfUnset("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    }

    private static void SetIfUnset(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
    }
}
