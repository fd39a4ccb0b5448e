namespace Stratus.Host.Backends;

/// <summary>What a running VM exposes: its domain id (the QEMU pid for qemu) and its console (VNC host:port), if any.</summary>
internal sealed record VmRuntimeInfo(long DomId, string? VncAddress);
