using SecurityAlexa.Skill;

namespace SecurityAlexa.Bootstrap;

/// <summary>The Native AOT executable for provided.al2023, published as <c>bootstrap</c>.</summary>
internal static class Program
{
    /// <summary>Serves the Lambda Runtime API named by AWS_LAMBDA_RUNTIME_API.</summary>
    public static async Task<int> Main(string[] args)
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(api))
        {
            await Console.Error.WriteLineAsync(
                "bootstrap: AWS_LAMBDA_RUNTIME_API is not set. This program is the Lambda custom runtime; "
                + "run it under Lambda or a Runtime API emulator, or use the local runner (src/SecurityAlexa.Local).")
                .ConfigureAwait(false);
            return 2;
        }
        var client = new RuntimeApiClient(api);
        return await LambdaRuntimeLoop.RunAsync(client, SkillHost.ForLambda, CancellationToken.None).ConfigureAwait(false);
    }
}
