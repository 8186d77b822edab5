using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>Source-generated JSON for the queue's shapes: the SQS batch, its answer and the skill's message body.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SqsBatch))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(List<BatchItemFailure>))]
[JsonSerializable(typeof(WorkEnvelope))]
internal sealed partial class WorkJsonContext : JsonSerializerContext;
