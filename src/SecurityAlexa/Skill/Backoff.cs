namespace SecurityAlexa.Skill;

/// <summary>
/// The wait before a retry: the first delay doubled per retry, times a jitter between ½ and 1½ (so that clients failing
/// together do not retry together), and never more than the cap. Written here rather than taken from a resilience
/// library, whose options validation (DataAnnotations, by reflection) cost more than the call on a cold start (issue 18).
/// </summary>
internal static class Backoff
{
    /// <summary>The delay before retry <paramref name="retry"/> (0 for the first retry).</summary>
    public static TimeSpan Delay(TimeSpan first, int retry, TimeSpan cap)
    {
        if (first <= TimeSpan.Zero) return TimeSpan.Zero;
        var doubled = first.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        var jittered = doubled * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, cap.TotalMilliseconds));
    }
}
