using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>BatchGetAccountStatus request.</summary>
internal sealed class BatchGetAccountStatusRequest
{
    public List<string>? AccountIds { get; set; }
}
