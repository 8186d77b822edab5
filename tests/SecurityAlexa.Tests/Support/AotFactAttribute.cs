namespace SecurityAlexa.Tests.Support;

/// <summary>
/// A test of the published Native AOT <c>bootstrap</c>. It runs only when SECURITYALEXA_BOOTSTRAP names
/// the binary (.ci/run sets it after publishing); a plain <c>dotnet test</c> reports it as skipped.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AotFactAttribute : FactAttribute
{
    /// <summary>The environment variable holding the path of the published bootstrap.</summary>
    public const string Variable = "SECURITYALEXA_BOOTSTRAP";

    public AotFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"Set {Variable} to the published bootstrap (as .ci/run does) to run this test.";
    }
}
