namespace Stratus.Host.Backends.Qemu;

/// <summary>The accelerator QEMU runs VMs with (<c>kvm</c> or <c>tcg</c>) and why, as logged and shown.</summary>
internal sealed record AcceleratorChoice(string Name, string Reason);
