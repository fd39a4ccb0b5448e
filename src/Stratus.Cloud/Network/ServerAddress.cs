namespace Stratus.Cloud.Network;

/// <summary>One address of a server: <c>{"version", "addr", "OS-EXT-IPS:type": fixed|floating, "OS-EXT-IPS-MAC:mac_addr"}</c>.</summary>
internal sealed record ServerAddress(string NetworkName, string Address, int Version, string Type, string MacAddress);
