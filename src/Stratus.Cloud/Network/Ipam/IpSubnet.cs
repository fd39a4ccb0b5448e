using System.Globalization;

namespace Stratus.Cloud.Network.Ipam;

/// <summary>A CIDR such as <c>10.0.0.0/24</c>, as numbers: its first and last address.</summary>
internal readonly record struct IpSubnet(int Version, UInt128 Network, int PrefixLength)
{
    public UInt128 HostMask => PrefixLength == IpMath.Bits(Version) ? 0 : (UInt128.One << (IpMath.Bits(Version) - PrefixLength)) - 1;

    public UInt128 First => Network;

    public UInt128 Last => Network | HostMask;

    /// <summary>The lowest address a host may have: IPv4 and IPv6 both skip the network (subnet-router anycast) address.</summary>
    public UInt128 FirstHost => PrefixLength >= IpMath.Bits(Version) - 1 ? First : First + 1;

    /// <summary>The highest address a host may have: IPv4 skips the broadcast address; IPv6 has none.</summary>
    public UInt128 LastHost => Version == 4 && PrefixLength < 31 ? Last - 1 : Last;

    public bool Contains(UInt128 address) => address >= First && address <= Last;

    public bool Overlaps(IpSubnet other) => Version == other.Version && First <= other.Last && other.First <= Last;

    public override string ToString() => $"{IpMath.ToText(Network, Version)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses a CIDR strictly: host bits must be zero (neutron: <c>'10.0.0.1/24' isn't a recommended CIDR</c>).
    /// Returns an error reason in neutron's words, or null.
    /// </summary>
    public static string? TryParse(string? text, out IpSubnet subnet)
    {
        subnet = default;
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 || !IpMath.TryParse(parts[0], out var address, out var version)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > IpMath.Bits(version))
        {
            return $"'{text}' is not a valid IP subnet.";
        }

        var value = IpMath.ToNumber(address);
        var candidate = new IpSubnet(version, value, prefix);
        var network = value & ~candidate.HostMask & (version == 4 ? uint.MaxValue : UInt128.MaxValue);
        if (network != value)
        {
            var recommended = new IpSubnet(version, network, prefix);
            return $"'{text}' isn't a recommended CIDR, '{recommended}' is recommended";
        }

        subnet = candidate;
        return null;
    }

    /// <summary>A prefix that may have host bits set (a security group rule's remote_ip_prefix), masked to its network.</summary>
    public static bool TryParseLoose(string? text, out IpSubnet subnet)
    {
        subnet = default;
        var parts = (text ?? "").Split('/');
        if (parts.Length is < 1 or > 2 || !IpMath.TryParse(parts[0], out var address, out var version))
        {
            return false;
        }

        var prefix = IpMath.Bits(version);
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > IpMath.Bits(version)))
        {
            return false;
        }

        var candidate = new IpSubnet(version, IpMath.ToNumber(address), prefix);
        subnet = candidate with { Network = candidate.Network & ~candidate.HostMask & (version == 4 ? uint.MaxValue : UInt128.MaxValue) };
        return true;
    }
}
