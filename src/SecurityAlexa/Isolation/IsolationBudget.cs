namespace SecurityAlexa.Isolation;

/// <summary>When new work must stop starting, by which clock: what cannot finish by then is handed on.</summary>
internal sealed record IsolationBudget(DateTimeOffset FinishBy, TimeProvider Clock);
