using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Network;

namespace Stratus.Benchmarks.Compute;

/// <summary>Realistic servers: the seed's eumel2 shape, numbered, on a handful of hosts, each with a fixed and a floating address.</summary>
internal static class BenchServers
{
    public static Instance Make(int index, string projectId, DateTime createdAt) => new()
    {
        Id = Guid.NewGuid(),
        Name = $"eumel{index}",
        ProjectId = projectId,
        UserId = "a31e781a8e3148e1bcf9aca5e774a36b",
        ImageId = "d216391e-4e33-4dd9-8a15-3ed9e999bf4c",
        Flavor = new FlavorSnapshot("42", "m1.nano", 64, 1, 1, 0, 0, 1.0, new Dictionary<string, string>()),
        VmState = VmStates.Active,
        TaskState = null,
        PowerState = PowerStates.Running,
        Host = $"compute{index % 8}",
        Node = $"compute{index % 8}",
        AvailabilityZone = "nova",
        KeyName = "devstack",
        ConfigDrive = true,
        ReservationId = "r-8mfzz3o5",
        Hostname = $"eumel{index}",
        Metadata = new Dictionary<string, string> { ["role"] = "web" },
        Progress = 100,
        CreatedAt = createdAt,
        LaunchedAt = createdAt.AddSeconds(16),
    };

    public static InstanceNetworkView Addresses(int index) => new(
        [
            new ServerAddress("private", $"10.0.{index / 250}.{(index % 250) + 2}", 4, "fixed", $"fa:16:3e:00:{index / 256 % 256:x2}:{index % 256:x2}"),
            new ServerAddress("private", $"172.24.{index / 250}.{(index % 250) + 2}", 4, "floating", $"fa:16:3e:00:{index / 256 % 256:x2}:{index % 256:x2}"),
        ],
        ["default"]);
}
