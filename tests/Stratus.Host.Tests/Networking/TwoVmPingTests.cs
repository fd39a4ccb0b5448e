using Stratus.Host.Backends;
using Stratus.Host.Networking;
using Stratus.Host.Processes;
using Stratus.Host.Tests.Support;
using Stratus.Host.Tests.Support.ConfigDrive;

namespace Stratus.Host.Tests.Networking;

/// <summary>
/// Two VMs on one XenAPI network (a Linux bridge with a TAP per VIF) inside a network namespace the test creates,
/// so nothing touches the host's own network. Each guest gets a static address from its config drive and pings the
/// other; the namespace side pings both.
/// </summary>
[Trait("Category", "Slow")]
[Collection(QemuCollection.Name)]
public sealed class TwoVmPingTests(TestImageFixture image)
{
    private const string Bridge = "stbr0";

    [Fact]
    public async Task TwoVms_OneBridgeInNamespace_PingEachOther()
    {
        var ct = TestContext.Current.CancellationToken;
        var ip = Requires.Tool("ip", "iproute2");
        Requires.Tool("mcopy", "mtools");
        Requires.Tool("mkfs.vfat", "dosfstools");
        if (!Requires.IsRoot)
            Requires.Missing("root (CAP_NET_ADMIN) to create a network namespace, a bridge and TAPs");
        _ = image.Image;
        var ns = $"stratus-t-{Guid.NewGuid().ToString("N")[..8]}";
        var add = await ExternalCommand.RunAsync(ip, ["netns", "add", ns], ct);
        if (!add.Succeeded)
            Requires.Missing($"a network namespace (ip netns add failed: {ExternalCommand.ErrorText(add)})");
        try
        {
            await ExternalCommand.RunCheckedAsync(ip, ["-n", ns, "link", "set", "lo", "up"], ct);
            await using var qemu = await QemuHarness.CreateAsync(networkNamespace: ns);
            var vms = new[] { (Uuid: Guid.NewGuid().ToString(), Address: "10.99.0.11"), (Uuid: Guid.NewGuid().ToString(), Address: "10.99.0.12") };

            for (var i = 0; i < vms.Length; i++)
            {
                var (uuid, address) = vms[i];
                var peer = vms[1 - i].Address;
                var nic = new NicSpec(0, $"52:54:00:99:00:{i + 11:x2}", Bridge, 1500);
                var drive = qemu.Directory.File($"config-{i}.img");
                await ConfigDriveBuilder.CreateAsync(drive, new ConfigDriveContent(
                    ConfigDriveContent.BasicMetaData(uuid, $"ping-{i}"),
                    ConfigDriveContent.StaticNetworkData([(nic.Mac, address, "255.255.255.0", null)]),
                    $"""
                     #!/bin/sh
                     for attempt in $(seq 1 120); do
                         if ping -c 1 -W 1 {peer} > /dev/null 2>&1; then echo "peer-ping-ok {peer}"; exit 0; fi
                     done
                     echo "peer-ping-failed {peer}"

                     """), ConfigDriveFormat.Vfat, ct);
                await qemu.StartAsync(QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image),
                    disks: [new DiskSpec(1, drive, "raw", true, false, false)], nics: [nic]));
            }

            var taps = await ExternalCommand.RunCheckedAsync(ip, ["-n", ns, "-o", "link", "show", "master", Bridge], ct);
            Assert.Contains(BridgeNetworking.TapName(vms[0].Uuid, 0), taps, StringComparison.Ordinal);
            Assert.Contains(BridgeNetworking.TapName(vms[1].Uuid, 0), taps, StringComparison.Ordinal);

            for (var i = 0; i < vms.Length; i++)
            {
                var (hostname, addresses) = await qemu.WaitForBannerAsync(vms[i].Uuid);
                Assert.Equal($"ping-{i}", hostname);
                Assert.Equal([$"{vms[i].Address}/24"], addresses);
            }

            foreach (var (uuid, _) in vms)
            {
                var log = await qemu.WaitForConsoleAsync(uuid, t => t.Contains("peer-ping-", StringComparison.Ordinal), "peer ping result");
                Assert.Contains("peer-ping-ok", log, StringComparison.Ordinal);
            }

            // The namespace itself joins the network and pings both guests (busybox ping: iputils may be absent).
            var busybox = Requires.Tool("busybox", "busybox-static");
            await ExternalCommand.RunCheckedAsync(ip, ["-n", ns, "addr", "add", "10.99.0.1/24", "dev", Bridge], ct);
            foreach (var (_, address) in vms)
            {
                var ping = await ExternalCommand.RunAsync(ip, ["netns", "exec", ns, busybox, "ping", "-c", "2", "-W", "5", address], ct);
                Assert.True(ping.Succeeded, $"ping {address} from the namespace: {ExternalCommand.ErrorText(ping)}");
            }

            foreach (var (uuid, _) in vms)
                await qemu.Backend.ShutdownAsync(uuid, clean: false, TimeSpan.Zero, ct);
            Assert.Equal("", (await ExternalCommand.RunCheckedAsync(ip, ["-n", ns, "-o", "link", "show", "master", Bridge], ct)).Trim());
        }
        finally
        {
            await ExternalCommand.RunAsync(ip, ["netns", "del", ns], CancellationToken.None);
        }
    }
}
