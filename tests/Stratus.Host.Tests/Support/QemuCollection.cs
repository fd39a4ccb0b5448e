namespace Stratus.Host.Tests.Support;

/// <summary>Tests that boot VMs run one class at a time: TCG boots are CPU-bound, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QemuCollection
{
    public const string Name = "qemu";
}
