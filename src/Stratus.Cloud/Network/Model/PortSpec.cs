namespace Stratus.Cloud.Network.Model;

/// <summary>
/// What a new port needs, however it is asked for (the port API, nova's allocation, a router interface, a
/// floating IP): null <see cref="FixedIps"/> means "one address per IP version from the network's subnets",
/// null <see cref="SecurityGroups"/> means "the project's default group" (when port security is on).
/// </summary>
internal sealed record PortSpec(NetworkRecord Network, string ProjectId)
{
    public string? MacAddress { get; init; }

    public IReadOnlyList<RequestedFixedIp>? FixedIps { get; init; }

    public string DeviceId { get; init; } = "";

    public string DeviceOwner { get; init; } = "";

    public IReadOnlyList<string>? SecurityGroups { get; init; }

    public bool? PortSecurityEnabled { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public bool AdminStateUp { get; init; } = true;

    public IReadOnlyList<AddressPairRecord> AllowedAddressPairs { get; init; } = [];

    public string HostId { get; init; } = "";

    public string VnicType { get; init; } = "normal";

    public bool PreserveOnDelete { get; init; }
}
