using System.Text.Json.Nodes;

namespace Stratus.Cloud.Image;

/// <summary>One change of an image PATCH: add, replace or remove of a top-level attribute.</summary>
internal sealed record ImagePatchOperation(string Op, string Path, JsonNode? Value);
