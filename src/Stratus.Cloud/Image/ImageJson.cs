using System.Text.Json.Serialization;

namespace Stratus.Cloud.Image;

/// <summary>Source-generated JSON for the stored image document.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ImageRecord))]
internal sealed partial class ImageJson : JsonSerializerContext;
