using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>{comparison, value}: a string filter.</summary>
internal sealed record StringFilter(string Comparison, string Value);
