using Stratus.Host.Backends;
using Stratus.Host.Backends.Qemu;
using Stratus.Host.Images;
using Stratus.Host.Processes;
using Stratus.Host.Tests.Support;
using Stratus.Host.Tests.Support.ConfigDrive;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Backends.Qemu;

/// <summary>Real VMs from the test image under QEMU (TCG here: KVM only if the probe boot succeeds).</summary>
[Trait("Category", "Slow")]
[Collection(QemuCollection.Name)]
public sealed class QemuVmBackendTests(TestImageFixture image)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewUuid() => Guid.NewGuid().ToString();

    private static NicSpec UserNic(int index = 0) => new(index, $"52:54:00:5e:00:{index + 1:x2}", null, 1500);

    [Fact]
    public async Task Start_DirectKernelBootPaused_RunsOnUnpauseAndAnswersQmp()
    {
        await using var qemu = await QemuHarness.CreateAsync();
        var uuid = NewUuid();

        var info = await qemu.StartAsync(QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image), nics: [UserNic()], paused: true));

        Assert.True(QemuProcess.IsAlive((int)info.DomId, uuid));
        Assert.Equal("unix:" + QemuVmPaths.For(qemu.Options, uuid).VncSocket, info.VncAddress);
        // -S: QEMU reports "prelaunch" until the first cont.
        Assert.False((await qemu.Backend.QueryAsync(uuid, "query-status", Ct)).GetProperty("running").GetBoolean());

        await qemu.Backend.UnpauseAsync(uuid, Ct);
        var (hostname, addresses) = await qemu.WaitForBannerAsync(uuid);

        Assert.Equal("stratus", hostname);
        Assert.Equal(["10.0.2.15/24"], addresses);
        Assert.Equal("running", (await qemu.Backend.QueryAsync(uuid, "query-status", Ct)).GetProperty("status").GetString());
        var tail = await qemu.Backend.ReadConsoleAsync(uuid, 1, Ct);
        Assert.StartsWith(TestImageBanner.Prefix, tail, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', tail);

        // The balloon target (VM.memory_dynamic_max) reaches the guest's virtio-balloon driver.
        await qemu.Backend.SetMemoryTargetAsync(uuid, 192L << 20, Ct);
        using var ballooned = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        ballooned.CancelAfter(QemuHarness.BootTimeout);
        while ((await qemu.Backend.QueryAsync(uuid, "query-balloon", ballooned.Token)).GetProperty("actual").GetInt64() != 192L << 20)
            await Task.Delay(100, ballooned.Token);

        await qemu.Backend.PauseAsync(uuid, Ct);
        Assert.Equal("paused", (await qemu.Backend.QueryAsync(uuid, "query-status", Ct)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Start_DiskBootFromQcow2Overlay_PrintsBanner()
    {
        var img = image.Image;
        await using var qemu = await QemuHarness.CreateAsync();
        var overlay = qemu.Directory.File("root.qcow2");
        await ExternalCommand.RunCheckedAsync(Requires.Tool("qemu-img", "qemu-utils"), ["create", "-f", "qcow2", "-F", "qcow2", "-b", img.Qcow2DiskPath!, overlay], Ct);
        var uuid = NewUuid();

        await qemu.StartAsync(QemuHarness.Spec(uuid, new BootSpec(null, null, null, "cd"), disks: [new DiskSpec(0, overlay, "qcow2", false, false, true)]));
        var (hostname, addresses) = await qemu.WaitForBannerAsync(uuid);

        Assert.Equal("stratus", hostname);
        Assert.Empty(addresses);
        Assert.Contains("SYSLINUX", await qemu.Backend.ReadConsoleAsync(uuid, null, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShutdownAsync_Clean_GuestPowersOffThroughAcpi()
    {
        await using var qemu = await QemuHarness.CreateAsync();
        var uuid = NewUuid();
        var stopped = 0;
        qemu.Backend.GuestStopped += _ => Interlocked.Increment(ref stopped);
        var info = await qemu.StartAsync(QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image)));
        await qemu.WaitForBannerAsync(uuid);

        await qemu.Backend.ShutdownAsync(uuid, clean: true, QemuHarness.BootTimeout, Ct);

        Assert.False(QemuProcess.IsAlive((int)info.DomId, uuid));
        Assert.Contains("power button pressed", await qemu.Backend.ReadConsoleAsync(uuid, null, Ct), StringComparison.Ordinal);
        Assert.False(File.Exists(QemuVmPaths.For(qemu.Options, uuid).PidFile));
        Assert.Equal(0, stopped);
        var again = await Assert.ThrowsAsync<XenApiFailure>(() => qemu.Backend.ShutdownAsync(uuid, clean: false, TimeSpan.Zero, Ct));
        Assert.Equal(XenErrors.VmBadPowerState, again.Code);
    }

    [Fact]
    public async Task RebootAsync_Running_GuestBootsAgain()
    {
        await using var qemu = await QemuHarness.CreateAsync();
        var uuid = NewUuid();
        var info = await qemu.StartAsync(QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image)));
        await qemu.WaitForBannerAsync(uuid);

        await qemu.Backend.RebootAsync(uuid, clean: false, Ct);
        await qemu.WaitForBannerAsync(uuid, count: 2);

        Assert.True(QemuProcess.IsAlive((int)info.DomId, uuid));
    }

    [Fact]
    public async Task GuestPowersItselfOff_ConfigDriveUserData_RaisesGuestStopped()
    {
        await using var qemu = await QemuHarness.CreateAsync();
        var uuid = NewUuid();
        var stopped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        qemu.Backend.GuestStopped += u => stopped.TrySetResult(u);
        Requires.Tool("genisoimage", "genisoimage");
        var nic = UserNic();
        var drive = qemu.Directory.File("config.iso");
        await ConfigDriveBuilder.CreateAsync(drive, new ConfigDriveContent(
            ConfigDriveContent.BasicMetaData(uuid, "cfg-vm"),
            ConfigDriveContent.StaticNetworkData([(nic.Mac.ToUpperInvariant(), "192.0.2.10", "255.255.255.0", "192.0.2.1")]),
            "#!/bin/sh\necho user-data-ran-as-$(id -u)\nsleep 1\npoweroff\n"), ConfigDriveFormat.Iso9660, Ct);

        var info = await qemu.StartAsync(QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image),
            disks: [new DiskSpec(3, drive, "raw", true, true, false)], nics: [nic]));
        var (hostname, addresses) = await qemu.WaitForBannerAsync(uuid);

        Assert.Equal("cfg-vm", hostname);
        Assert.Equal(["192.0.2.10/24"], addresses);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bounded.CancelAfter(QemuHarness.BootTimeout);
        Assert.Equal(uuid, await stopped.Task.WaitAsync(bounded.Token));
        Assert.False(QemuProcess.IsAlive((int)info.DomId, uuid));
        Assert.Contains("user-data-ran-as-0", await qemu.Backend.ReadConsoleAsync(uuid, null, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QemuKilled_WhileWatched_RaisesGuestStopped()
    {
        await using var qemu = await QemuHarness.CreateAsync();
        var uuid = NewUuid();
        var stopped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        qemu.Backend.GuestStopped += u => stopped.TrySetResult(u);
        var spec = QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image));
        var info = await qemu.StartAsync(spec);

        var twice = await Assert.ThrowsAsync<XenApiFailure>(() => qemu.Backend.StartAsync(spec, Ct));
        Assert.Equal(XenErrors.VmBadPowerState, twice.Code);

        QemuProcess.Kill((int)info.DomId, uuid);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bounded.CancelAfter(QemuHarness.BootTimeout);
        Assert.Equal(uuid, await stopped.Task.WaitAsync(bounded.Token));
        var gone = await Assert.ThrowsAsync<XenApiFailure>(() => qemu.Backend.PauseAsync(uuid, Ct));
        Assert.Equal(XenErrors.VmBadPowerState, gone.Code);
    }

    [Fact]
    public async Task AdoptAsync_AfterAgentRestart_FindsRunningVmAndCanStopIt()
    {
        await using var qemu = await QemuHarness.CreateAsync();
        var uuid = NewUuid();
        var neverStarted = NewUuid();
        var info = await qemu.StartAsync(QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image)));

        await qemu.RestartBackendAsync();
        Assert.True(QemuProcess.IsAlive((int)info.DomId, uuid));
        var adopted = await qemu.Backend.AdoptAsync([uuid, neverStarted], Ct);

        Assert.Equal([uuid], adopted.Keys);
        Assert.Equal(info, adopted[uuid]);
        await qemu.WaitForBannerAsync(uuid);
        await qemu.Backend.ShutdownAsync(uuid, clean: false, TimeSpan.Zero, Ct);
        Assert.False(QemuProcess.IsAlive((int)info.DomId, uuid));
    }

    [Fact]
    public async Task AdoptAsync_QemuDiedWhileAgentAway_ReportedNotAliveAndCleanedUp()
    {
        await using var qemu = await QemuHarness.CreateAsync();
        var uuid = NewUuid();
        var info = await qemu.StartAsync(QemuHarness.Spec(uuid, QemuHarness.DirectBoot(image)));

        await qemu.RestartBackendAsync(async () =>
        {
            QemuProcess.Kill((int)info.DomId, uuid);
            await QemuProcess.WaitForExitAsync((int)info.DomId, uuid, QemuHarness.BootTimeout, TimeProvider.System, Ct);
        });
        var adopted = await qemu.Backend.AdoptAsync([uuid], Ct);

        Assert.Empty(adopted);
        Assert.False(File.Exists(QemuVmPaths.For(qemu.Options, uuid).PidFile));
        Assert.False(File.Exists(QemuVmPaths.For(qemu.Options, uuid).StateFile));
    }

    [Fact]
    public async Task StartAsync_QemuBinaryMissing_FailedToStartEmulator()
    {
        await using var qemu = await QemuHarness.CreateAsync(binary: "/nonexistent/qemu-system-x86_64", accelerator: "tcg");
        var uuid = NewUuid();

        var error = await Assert.ThrowsAsync<XenApiFailure>(() => qemu.StartAsync(QemuHarness.Spec(uuid, new BootSpec(null, null, null, "c"))));

        Assert.Equal(XenErrors.FailedToStartEmulator, error.Code);
        Assert.Equal(uuid, error.Parameters[0]);
        Assert.Equal("qemu-system-x86_64", error.Parameters[1]);
        Assert.Contains("No such file or directory", error.Parameters[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_QemuRejectsTheVm_ErrorCarriesQemuMessageAndVmStaysHalted()
    {
        await using var qemu = await QemuHarness.CreateAsync(accelerator: "tcg");
        var uuid = NewUuid();
        var missing = qemu.Directory.File("no-such-disk.qcow2");

        var error = await Assert.ThrowsAsync<XenApiFailure>(() =>
            qemu.StartAsync(QemuHarness.Spec(uuid, new BootSpec(null, null, null, "c"), disks: [new DiskSpec(0, missing, "qcow2", false, false, true)])));

        Assert.Equal(XenErrors.FailedToStartEmulator, error.Code);
        // QEMU's own words: "qemu-system-x86_64: -drive ...: Could not open '<path>': No such file or directory".
        Assert.Contains($"Could not open '{missing}'", error.Parameters[2], StringComparison.Ordinal);
        var halted = await Assert.ThrowsAsync<XenApiFailure>(() => qemu.Backend.ShutdownAsync(uuid, clean: false, TimeSpan.Zero, Ct));
        Assert.Equal(XenErrors.VmBadPowerState, halted.Code);
        Assert.False(File.Exists(QemuVmPaths.For(qemu.Options, uuid).PidFile));
    }
}
