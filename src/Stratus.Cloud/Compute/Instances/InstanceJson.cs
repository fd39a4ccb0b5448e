using System.Text.Json.Serialization;
using Stratus.Cloud.Network;

namespace Stratus.Cloud.Compute.Instances;

/// <summary>Source-generated JSON for the instance document (fast to read back when listing thousands).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Instance))]
[JsonSerializable(typeof(FlavorSnapshot))]
[JsonSerializable(typeof(NetworkRequest))]
[JsonSerializable(typeof(RequestedNetwork))]
internal sealed partial class InstanceJson : JsonSerializerContext;
