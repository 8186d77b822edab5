namespace SecurityAlexa.AwsContract;

/// <summary>
/// The observer of the request on this async flow. Adapters are built once per container while observers
/// belong to one request, so the request installs its own here and the adapters only report to it.
/// </summary>
internal static class AwsCallObserver
{
    private static readonly AsyncLocal<IAwsCallObserver?> Ambient = new();

    /// <summary>The observer of the request on this async flow, or null.</summary>
    public static IAwsCallObserver? Current => Ambient.Value;

    /// <summary>Makes <paramref name="observer"/> the one told of calls made from here on, on this async flow.</summary>
    public static void Use(IAwsCallObserver? observer) => Ambient.Value = observer;
}
