namespace Stratus.Host.Backends;

/// <summary>One NIC: its MAC, and the Linux bridge of its network, or null for QEMU user networking.</summary>
internal sealed record NicSpec(int Index, string Mac, string? Bridge, int Mtu);
