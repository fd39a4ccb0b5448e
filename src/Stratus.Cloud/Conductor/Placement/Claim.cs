using Stratus.Cloud.Compute.Instances;

namespace Stratus.Cloud.Conductor.Placement;

/// <summary>Resources held on a host by one server, from the moment it is scheduled there until it leaves (nova's claim).</summary>
internal sealed record Claim(Guid InstanceId, string Host, int Vcpus, long RamMb, long DiskGb)
{
    /// <summary>The claim of a server already on <paramref name="host"/> (disk as nova's disk filter counts it: root + ephemeral + swap).</summary>
    public static Claim Of(Instance instance, string host) =>
        new(instance.Id, host, instance.Flavor.Vcpus, instance.Flavor.RamMb,
            instance.Flavor.DiskGb + instance.Flavor.EphemeralGb + ((instance.Flavor.SwapMb + 1023) / 1024));
}
