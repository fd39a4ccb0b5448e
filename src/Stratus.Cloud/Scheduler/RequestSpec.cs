using Stratus.Cloud.Compute.Instances;

namespace Stratus.Cloud.Scheduler;

/// <summary>
/// What a build needs: the flavor's resources, the image's requirements, the availability zone and the hosts a
/// previous attempt already failed on (the retry filter excludes them).
/// </summary>
internal sealed record RequestSpec(
    Guid InstanceId,
    FlavorSnapshot Flavor,
    IReadOnlyDictionary<string, string> ImageProperties,
    long ImageSizeBytes,
    string? AvailabilityZone,
    IReadOnlyCollection<string> TriedHosts)
{
    /// <summary>Root + ephemeral + swap, in GB, as nova's disk filter counts it.</summary>
    public long DiskGb => Flavor.DiskGb + Flavor.EphemeralGb + ((Flavor.SwapMb + 1023) / 1024);

    /// <summary>An SR type the flavor (extra spec <c>stratus:sr_type</c>) or image (property <c>stratus_sr_type</c>) insists on.</summary>
    public string? RequiredSrType =>
        Flavor.ExtraSpecs.TryGetValue("stratus:sr_type", out var fromFlavor) ? fromFlavor
        : ImageProperties.TryGetValue("stratus_sr_type", out var fromImage) ? fromImage
        : null;
}
