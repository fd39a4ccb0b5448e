using Stratus.Cloud.Network.Ipam;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Tests.Network;

/// <summary>Pure IPAM rules: CIDRs, default gateway and pools, pool validation, first-free allocation.</summary>
public sealed class IpamTests
{
    [Theory]
    [InlineData("10.0.0.0/24", null)]
    [InlineData("fd00:1::/64", null)]
    [InlineData("10.0.0.1/24", "'10.0.0.1/24' isn't a recommended CIDR, '10.0.0.0/24' is recommended")]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' is not a valid IP subnet.")]
    [InlineData("10.0.0/24", "'10.0.0/24' is not a valid IP subnet.")]
    [InlineData("private", "'private' is not a valid IP subnet.")]
    public void TryParse_IsStrictAboutHostBits(string text, string? error)
    {
        Assert.Equal(error, IpSubnet.TryParse(text, out _));
    }

    [Fact]
    public void Create_Defaults_GatewayIsFirstHost_PoolIsTheRestWithoutBroadcast()
    {
        IpSubnet.TryParse("10.0.0.0/26", out var cidr);

        var layout = SubnetLayout.Create(cidr, SubnetLayout.DefaultGateway(cidr), null);

        Assert.Equal("10.0.0.1", IpMath.ToText(layout.Gateway!.Value, 4));
        var pool = Assert.Single(layout.Pools);
        Assert.Equal("10.0.0.2-10.0.0.62", SubnetLayout.Describe(pool, 4));
    }

    [Fact]
    public void Create_GatewayInTheMiddle_SplitsTheDefaultPool()
    {
        IpSubnet.TryParse("192.168.1.0/24", out var cidr);
        Assert.True(IpMath.TryParse("192.168.1.100", out var gateway, out _));

        var layout = SubnetLayout.Create(cidr, IpMath.ToNumber(gateway), null);

        Assert.Equal(["192.168.1.1-192.168.1.99", "192.168.1.101-192.168.1.254"], layout.Pools.Select(p => SubnetLayout.Describe(p, 4)));
    }

    [Fact]
    public void Create_NoGateway_PoolCoversAllHosts()
    {
        IpSubnet.TryParse("10.1.0.0/29", out var cidr);

        var layout = SubnetLayout.Create(cidr, null, null);

        Assert.Null(layout.Gateway);
        Assert.Equal("10.1.0.1-10.1.0.6", SubnetLayout.Describe(Assert.Single(layout.Pools), 4));
    }

    [Fact]
    public void Create_Ipv6_PoolRunsToTheLastAddress()
    {
        IpSubnet.TryParse("fd00::/64", out var cidr);

        var layout = SubnetLayout.Create(cidr, SubnetLayout.DefaultGateway(cidr), null);

        Assert.Equal("fd00::1", IpMath.ToText(layout.Gateway!.Value, 6));
        Assert.Equal("fd00::2-fd00::ffff:ffff:ffff:ffff", SubnetLayout.Describe(Assert.Single(layout.Pools), 6));
    }

    [Theory]
    [InlineData("10.0.0.10", "10.0.0.20", "10.0.0.15", "10.0.0.30", 409, "OverlappingAllocationPools")]
    [InlineData("10.0.0.0", "10.0.0.20", null, null, 400, "OutOfBoundsAllocationPool")]
    [InlineData("10.0.0.10", "10.0.0.255", null, null, 400, "OutOfBoundsAllocationPool")]
    [InlineData("10.0.0.20", "10.0.0.10", null, null, 400, "InvalidAllocationPool")]
    [InlineData("10.0.0.x", "10.0.0.10", null, null, 400, "InvalidAllocationPool")]
    [InlineData("fd00::1", "fd00::9", null, null, 400, "InvalidAllocationPool")]
    [InlineData("10.0.0.1", "10.0.0.9", null, null, 409, "GatewayConflictWithAllocationPools")]
    public void Create_BadPools_AreRefusedWithNeutronsTypes(string start, string end, string? start2, string? end2, int status, string type)
    {
        IpSubnet.TryParse("10.0.0.0/24", out var cidr);
        var pools = new List<(string, string)> { (start, end) };
        if (start2 is not null)
        {
            pools.Add((start2, end2!));
        }

        var error = Assert.Throws<ApiException>(() => SubnetLayout.Create(cidr, SubnetLayout.DefaultGateway(cidr), pools));

        Assert.Equal(status, error.Status);
        Assert.Equal(type, error.Kind);
    }

    [Fact]
    public void FirstFree_SkipsTakenAddresses_AndMovesToTheNextPool()
    {
        var pools = new List<IpRange> { new(10, 12), new(20, 21) };

        Assert.Equal((UInt128)10, IpAllocator.FirstFree(pools, new HashSet<UInt128>()));
        Assert.Equal((UInt128)12, IpAllocator.FirstFree(pools, new HashSet<UInt128> { 10, 11 }));
        Assert.Equal((UInt128)21, IpAllocator.FirstFree(pools, new HashSet<UInt128> { 10, 11, 12, 20 }));
        Assert.Null(IpAllocator.FirstFree(pools, new HashSet<UInt128> { 10, 11, 12, 20, 21 }));
        Assert.Equal((UInt128)1, IpAllocator.FreeCount(pools, new HashSet<UInt128> { 10, 11, 12, 20, 99 }));
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("FD00:0:0::0001", "fd00::1")]
    [InlineData("10.0.5", null)]
    [InlineData("10.0.0.5/24", null)]
    [InlineData("fe80::1%eth0", null)]
    public void Normalize_AcceptsPlainAddressesOnly(string text, string? expected)
    {
        Assert.Equal(expected, IpMath.Normalize(text));
    }
}
