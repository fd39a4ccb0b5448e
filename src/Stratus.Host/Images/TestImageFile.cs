namespace Stratus.Host.Images;

/// <summary>One output file in the manifest.</summary>
internal sealed record TestImageFile(long Size, string Sha256);
