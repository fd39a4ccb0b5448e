namespace Stratus.Cloud.Network.Ipam;

/// <summary>An inclusive address range: an allocation pool.</summary>
internal readonly record struct IpRange(UInt128 Start, UInt128 End)
{
    public bool Contains(UInt128 address) => address >= Start && address <= End;

    public bool Overlaps(IpRange other) => Start <= other.End && other.Start <= End;
}
