namespace Stratus.Cloud.Network.Model;

/// <summary>An allowed address pair, <c>{"ip_address", "mac_address"}</c>.</summary>
internal sealed record AddressPairRecord(string IpAddress, string MacAddress);
