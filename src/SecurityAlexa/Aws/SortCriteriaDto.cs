namespace SecurityAlexa.Aws;

/// <summary>{field, sortOrder}.</summary>
internal sealed record SortCriteriaDto(string Field, string SortOrder);
