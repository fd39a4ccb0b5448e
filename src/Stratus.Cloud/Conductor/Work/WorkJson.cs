using System.Text.Json.Serialization;

namespace Stratus.Cloud.Conductor.Work;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkData))]
internal sealed partial class WorkJson : JsonSerializerContext;
