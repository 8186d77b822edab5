namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// Tests that time turns on the wall clock run alone, after the parallel ones: with the whole suite sharing two
/// cores, a thread-pool queue made a 100 ms-per-call isolation look too slow to start and hand itself to the
/// background, which is the skill being careful, not a fault.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "Real time";
}
