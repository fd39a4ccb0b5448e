using Stratus.Host.Images;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Images;

public sealed class KernelModuleResolverTests
{
    private static async Task<string> TreeAsync(ShortTempDirectory dir, string dep, string builtin = "")
    {
        await File.WriteAllTextAsync(dir.File("modules.dep"), dep, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("modules.builtin"), builtin, TestContext.Current.CancellationToken);
        return dir.Path;
    }

    [Fact]
    public async Task Resolve_ModuleWithDependencies_LoadsDependenciesFirstOnce()
    {
        using var dir = new ShortTempDirectory();
        var tree = await TreeAsync(dir, """
            kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz kernel/drivers/virtio/virtio.ko.xz
            kernel/drivers/net/virtio_net.ko.xz: kernel/drivers/net/net_failover.ko.xz kernel/net/core/failover.ko.xz kernel/drivers/virtio/virtio_ring.ko.xz kernel/drivers/virtio/virtio.ko.xz
            kernel/drivers/net/net_failover.ko.xz: kernel/net/core/failover.ko.xz
            kernel/net/core/failover.ko.xz:
            kernel/drivers/virtio/virtio_ring.ko.xz: kernel/drivers/virtio/virtio.ko.xz
            kernel/drivers/virtio/virtio.ko.xz:
            """);

        var set = await KernelModuleResolver.ResolveAsync(tree, ["virtio_blk", "virtio-net"], TestContext.Current.CancellationToken);

        var names = set.LoadOrder.Select(m => m.Name).ToList();
        Assert.Equal(["virtio", "virtio_ring", "virtio_blk", "failover", "net_failover", "virtio_net"], names);
        Assert.Equal("kernel/drivers/block/virtio_blk.ko.xz", set.LoadOrder[2].RelativePath);
        Assert.Empty(set.Missing);
    }

    [Fact]
    public async Task Resolve_BuiltInAndUnknown_ReportedSeparately()
    {
        using var dir = new ShortTempDirectory();
        var tree = await TreeAsync(dir, "kernel/fs/isofs/isofs.ko:\n", "kernel/drivers/acpi/button.ko\n");

        var set = await KernelModuleResolver.ResolveAsync(tree, ["isofs", "button", "nosuchmodule"], TestContext.Current.CancellationToken);

        Assert.Equal(["isofs"], set.LoadOrder.Select(m => m.Name));
        Assert.Equal(["button"], set.BuiltIn);
        Assert.Equal(["nosuchmodule"], set.Missing);
    }

    [Fact]
    public async Task Resolve_DependencyCycle_Throws()
    {
        using var dir = new ShortTempDirectory();
        var tree = await TreeAsync(dir, "a.ko: b.ko\nb.ko: a.ko\n");

        await Assert.ThrowsAsync<InvalidDataException>(() => KernelModuleResolver.ResolveAsync(tree, ["a"], TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("6.1.0-9-amd64", "6.1.0-10-amd64")]
    [InlineData("5.10.0-28-amd64", "6.1.0-1-amd64")]
    [InlineData("6.1.0-10-amd64", "6.1.0-10-cloud-amd64")]
    public void KernelVersionComparer_OlderFirst(string older, string newer)
    {
        Assert.True(KernelVersionComparer.Instance.Compare(older, newer) < 0);
        Assert.True(KernelVersionComparer.Instance.Compare(newer, older) > 0);
    }
}
