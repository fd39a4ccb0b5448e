using Stratus.Cloud.Network.Api;

namespace Stratus.Cloud.Network.Ipam;

/// <summary>
/// A subnet's address plan (neutron ipam_utils / ipam_backend_mixin): the CIDR, the gateway (default: the first
/// host address; null for none) and the allocation pools (default: every host address but the gateway). Checks
/// pools the way neutron does: valid, in order, inside the CIDR, not overlapping, not holding the gateway.
/// </summary>
internal sealed record SubnetLayout(IpSubnet Cidr, UInt128? Gateway, IReadOnlyList<IpRange> Pools)
{
    /// <summary>The gateway neutron picks when none is given: the first host address.</summary>
    public static UInt128 DefaultGateway(IpSubnet cidr) => cidr.FirstHost;

    /// <summary>Every host address of the CIDR except <paramref name="gateway"/>, as contiguous ranges.</summary>
    public static IReadOnlyList<IpRange> DefaultPools(IpSubnet cidr, UInt128? gateway)
    {
        var whole = new IpRange(cidr.FirstHost, cidr.LastHost);
        if (gateway is not { } g || !whole.Contains(g))
        {
            return [whole];
        }

        var pools = new List<IpRange>();
        if (g > whole.Start)
        {
            pools.Add(new IpRange(whole.Start, g - 1));
        }

        if (g < whole.End)
        {
            pools.Add(new IpRange(g + 1, whole.End));
        }

        return pools;
    }

    /// <summary>Builds and checks a layout from API input (pools as start/end text); throws neutron's errors.</summary>
    public static SubnetLayout Create(IpSubnet cidr, UInt128? gateway, IReadOnlyList<(string Start, string End)>? pools)
    {
        if (gateway is { } g && (!cidr.Contains(g) || (cidr.Version == 4 && cidr.PrefixLength < 31 && (g == cidr.First || g == cidr.Last))))
        {
            throw NeutronErrors.InvalidInput($"Gateway is not valid on subnet {cidr}");
        }

        var ranges = pools is null ? DefaultPools(cidr, gateway) : CheckPools(cidr, pools);
        if (gateway is { } gw)
        {
            foreach (var range in ranges)
            {
                if (range.Contains(gw))
                {
                    throw NeutronErrors.Conflict("GatewayConflictWithAllocationPools",
                        $"Gateway ip {IpMath.ToText(gw, cidr.Version)} conflicts with allocation pool {Describe(range, cidr.Version)}.");
                }
            }
        }

        return new SubnetLayout(cidr, gateway, ranges);
    }

    public static string Describe(IpRange range, int version) => $"{IpMath.ToText(range.Start, version)}-{IpMath.ToText(range.End, version)}";

    private static List<IpRange> CheckPools(IpSubnet cidr, IReadOnlyList<(string Start, string End)> pools)
    {
        var ranges = new List<IpRange>();
        foreach (var (startText, endText) in pools)
        {
            var described = $"{startText}-{endText}";
            if (!IpMath.TryParse(startText, out var start, out var startVersion) || !IpMath.TryParse(endText, out var end, out var endVersion)
                || startVersion != cidr.Version || endVersion != cidr.Version)
            {
                throw NeutronErrors.BadRequest("InvalidAllocationPool", $"The allocation pool {described} is not valid.");
            }

            var range = new IpRange(IpMath.ToNumber(start), IpMath.ToNumber(end));
            if (range.Start > range.End)
            {
                throw NeutronErrors.BadRequest("InvalidAllocationPool", $"The allocation pool {described} is not valid.");
            }

            if (range.Start < cidr.FirstHost || range.End > cidr.LastHost)
            {
                throw NeutronErrors.BadRequest("OutOfBoundsAllocationPool", $"The allocation pool {described} spans beyond the subnet cidr {cidr}.");
            }

            foreach (var other in ranges)
            {
                if (other.Overlaps(range))
                {
                    throw NeutronErrors.Conflict("OverlappingAllocationPools",
                        $"Found overlapping allocation pools: {Describe(other, cidr.Version)} {described} for subnet {cidr}.");
                }
            }

            ranges.Add(range);
        }

        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        return ranges;
    }
}
