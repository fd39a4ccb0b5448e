using System.Text.Json.Serialization;

namespace Stratus.Cloud.Compute.Services;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServiceRecord))]
internal sealed partial class ServiceJson : JsonSerializerContext;
