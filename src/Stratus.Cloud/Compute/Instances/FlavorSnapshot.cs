namespace Stratus.Cloud.Compute.Instances;

/// <summary>The flavor copied into a server at boot.</summary>
internal sealed record FlavorSnapshot(
    string Id,
    string Name,
    int RamMb,
    int Vcpus,
    int DiskGb,
    int EphemeralGb,
    int SwapMb,
    double RxtxFactor,
    IReadOnlyDictionary<string, string> ExtraSpecs);
