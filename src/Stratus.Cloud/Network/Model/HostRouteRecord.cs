namespace Stratus.Cloud.Network.Model;

/// <summary>A subnet host route, <c>{"destination", "nexthop"}</c>.</summary>
internal sealed record HostRouteRecord(string Destination, string Nexthop);
