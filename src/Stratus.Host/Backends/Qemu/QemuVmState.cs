namespace Stratus.Host.Backends.Qemu;

/// <summary>state.json of a VM: what the agent made for it, so that a later agent can clean up after a QEMU that died while it was away.</summary>
internal sealed record QemuVmState(string Uuid, string Name, string Accelerator, IReadOnlyList<string> Taps, DateTimeOffset StartedAt);
