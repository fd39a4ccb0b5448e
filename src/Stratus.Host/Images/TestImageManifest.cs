namespace Stratus.Host.Images;

/// <summary>manifest.json of a test image directory: what went in (and its hash, for rebuild decisions) and what came out.</summary>
internal sealed record TestImageManifest(
    int Format,
    string InputsHash,
    string KernelVersion,
    string KernelSource,
    string Busybox,
    string KernelArgs,
    string Banner,
    IReadOnlyList<string> Modules,
    IReadOnlyList<string> ModulesMissing,
    IReadOnlyDictionary<string, TestImageFile> Files);
