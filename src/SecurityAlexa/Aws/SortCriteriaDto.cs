using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>{field, sortOrder}.</summary>
internal sealed record SortCriteriaDto(string Field, string SortOrder);
