using Stratus.Host.Backends;
using Stratus.Host.Backends.Qemu;

namespace Stratus.Host.Tests.Backends.Qemu;

public sealed class QemuCommandLineTests
{
    private const string Uuid = "0b3a5a43-5b5c-4e65-9a4b-2f1a7f0c9d11";
    private static readonly QemuOptions Options = new() { DataDirectory = "/var/lib/stratus" };
    private static readonly QemuVmPaths Paths = QemuVmPaths.For(Options, Uuid);

    private static VmLaunchSpec Spec(
        IReadOnlyList<DiskSpec>? disks = null, IReadOnlyList<NicSpec>? nics = null, BootSpec? boot = null, bool paused = false, string name = "vm1") =>
        new(Uuid, name, 2, 512L << 20, 256L << 20, disks ?? [], nics ?? [], boot ?? new BootSpec(null, null, null, "cd"), paused);

    private static string ValueAfter(IReadOnlyList<string> args, string option, int occurrence = 0)
    {
        var seen = 0;
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == option && seen++ == occurrence)
                return args[i + 1];
        }

        throw new Xunit.Sdk.XunitException($"{option} #{occurrence} not in: {string.Join(' ', args)}");
    }

    private static List<string> All(IReadOnlyList<string> args, string option) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == option && x.i + 1 < args.Count).Select(x => args[x.i + 1]).ToList();

    [Fact]
    public void Build_Basics_IdentityResourcesAndControlChannels()
    {
        var args = QemuCommandLine.Build(Spec(), Paths, "tcg", Options, []);

        Assert.Equal(Uuid, ValueAfter(args, "-uuid"));
        Assert.Equal("guest=vm1,debug-threads=on", ValueAfter(args, "-name"));
        Assert.Equal("tcg", ValueAfter(args, "-accel"));
        Assert.DoesNotContain("-cpu", args);
        Assert.Equal("2", ValueAfter(args, "-smp"));
        Assert.Equal("512M", ValueAfter(args, "-m"));
        Assert.Contains("-nodefaults", args);
        Assert.Contains("-daemonize", args);
        Assert.Equal(Paths.PidFile, ValueAfter(args, "-pidfile"));
        Assert.Equal($"unix:{Paths.VncSocket}", ValueAfter(args, "-vnc"));
        Assert.Contains($"file,id=serial0,path={Paths.ConsoleLog}", All(args, "-chardev"));
        Assert.Contains($"socket,id=qmp,path={Paths.QmpSocket},server=on,wait=off", All(args, "-chardev"));
        Assert.Equal("chardev=qmp,mode=control", ValueAfter(args, "-mon"));
        Assert.Contains("virtio-balloon-pci,id=balloon0", All(args, "-device"));
        Assert.DoesNotContain("-S", args);
    }

    [Fact]
    public void Build_Kvm_UsesHostCpu()
    {
        var args = QemuCommandLine.Build(Spec(), Paths, "kvm", Options, []);

        Assert.Equal("kvm", ValueAfter(args, "-accel"));
        Assert.Equal("host", ValueAfter(args, "-cpu"));
    }

    [Fact]
    public void Build_MemoryNotWholeMiB_RoundsUp()
    {
        var spec = Spec() with { MemoryBytes = (256L << 20) + 1 };

        Assert.Equal("257M", ValueAfter(QemuCommandLine.Build(spec, Paths, "tcg", Options, []), "-m"));
    }

    [Fact]
    public void Build_DirectKernelBoot_KernelInitrdAppendAndNoBootIndex()
    {
        var disks = new[] { new DiskSpec(0, "/srv/disk.qcow2", "qcow2", false, false, true) };
        var args = QemuCommandLine.Build(Spec(disks, boot: new BootSpec("/img/vmlinuz", "/img/initrd.img", "console=ttyS0 quiet", "")), Paths, "tcg", Options, []);

        Assert.Equal("/img/vmlinuz", ValueAfter(args, "-kernel"));
        Assert.Equal("/img/initrd.img", ValueAfter(args, "-initrd"));
        Assert.Equal("console=ttyS0 quiet", ValueAfter(args, "-append"));
        Assert.DoesNotContain(args, a => a.Contains("bootindex", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_KernelWithoutRamdiskOrArgs_OmitsThem()
    {
        var args = QemuCommandLine.Build(Spec(boot: new BootSpec("/img/vmlinuz", null, null, "")), Paths, "tcg", Options, []);

        Assert.DoesNotContain("-initrd", args);
        Assert.DoesNotContain("-append", args);
    }

    [Fact]
    public void Build_DisksAndCdroms_DrivesDevicesAndBootOrder()
    {
        var disks = new[]
        {
            new DiskSpec(0, "/srv/data.raw", "raw", true, false, false),
            new DiskSpec(1, "/srv/root.qcow2", "qcow2", false, false, true),
            new DiskSpec(3, "/srv/config.iso", "raw", true, true, false),
            new DiskSpec(4, null, "raw", true, true, false),
        };
        var args = QemuCommandLine.Build(Spec(disks, boot: new BootSpec(null, null, null, "dc")), Paths, "tcg", Options, []);

        var drives = All(args, "-drive");
        Assert.Equal("if=none,id=disk0,file=/srv/data.raw,format=raw,discard=unmap,readonly=on", drives[0]);
        Assert.Equal("if=none,id=disk1,file=/srv/root.qcow2,format=qcow2,discard=unmap", drives[1]);
        Assert.Equal("if=none,id=cd3,media=cdrom,readonly=on,file=/srv/config.iso,format=raw", drives[2]);
        Assert.Equal("if=none,id=cd4,media=cdrom,readonly=on", drives[3]);
        var devices = All(args, "-device");
        // Order "dc": CD-ROMs first, then disks with the bootable one ahead of the other.
        Assert.Contains("ide-cd,drive=cd3,id=vbd3,bootindex=0", devices);
        Assert.Contains("ide-cd,drive=cd4,id=vbd4,bootindex=1", devices);
        Assert.Contains("virtio-blk-pci,drive=disk1,id=vbd1,bootindex=2", devices);
        Assert.Contains("virtio-blk-pci,drive=disk0,id=vbd0,bootindex=3", devices);
    }

    [Fact]
    public void Build_NfsUrlWithCommas_PassedToQemuEscaped()
    {
        var disks = new[] { new DiskSpec(0, "nfs://10.0.0.1/export/sr/a,b.qcow2?version=4", "qcow2", false, false, true) };
        var args = QemuCommandLine.Build(Spec(disks, name: "web,1"), Paths, "tcg", Options, []);

        Assert.Equal("if=none,id=disk0,file=nfs://10.0.0.1/export/sr/a,,b.qcow2?version=4,format=qcow2,discard=unmap", ValueAfter(args, "-drive"));
        Assert.Equal("guest=web,,1,debug-threads=on", ValueAfter(args, "-name"));
    }

    [Fact]
    public void Build_Nics_TapOrUserNetworkWithMacAndMtu()
    {
        var nics = new[] { new NicSpec(0, "fa:16:3e:00:00:01", "xenbr0", 1500), new NicSpec(1, "fa:16:3e:00:00:02", null, 9000) };
        var args = QemuCommandLine.Build(Spec(nics: nics, boot: new BootSpec(null, null, null, "nc")), Paths, "tcg", Options, ["st0b3a5a435n0", null]);

        Assert.Equal(["tap,id=net0,ifname=st0b3a5a435n0,script=no,downscript=no", "user,id=net1"], All(args, "-netdev"));
        var devices = All(args, "-device");
        Assert.Contains("virtio-net-pci,netdev=net0,id=vif0,mac=fa:16:3e:00:00:01,bootindex=0", devices);
        Assert.Contains("virtio-net-pci,netdev=net1,id=vif1,mac=fa:16:3e:00:00:02,host_mtu=9000,bootindex=1", devices);
    }

    [Fact]
    public void Build_StartPaused_AddsFreezeFlag()
    {
        Assert.Contains("-S", QemuCommandLine.Build(Spec(paused: true), Paths, "tcg", Options, []));
    }

    [Fact]
    public void Build_DiskWithoutPath_Throws()
    {
        var disks = new[] { new DiskSpec(0, null, "raw", false, false, true) };

        Assert.Throws<ArgumentException>(() => QemuCommandLine.Build(Spec(disks), Paths, "tcg", Options, []));
    }

    [Fact]
    public void Build_NoVcpus_Throws()
    {
        Assert.Throws<ArgumentException>(() => QemuCommandLine.Build(Spec() with { Vcpus = 0 }, Paths, "tcg", Options, []));
    }

    [Fact]
    public void Options_DataDirectoryTooLongForSocket_NamesTheSetting()
    {
        var options = new QemuOptions { DataDirectory = "/" + new string('d', 80) };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Stratus:Qemu:DataDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UnknownAccelerator_NamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(new QemuOptions { DataDirectory = "/tmp/x", Accelerator = "hvf" }.Validate);
        Assert.Contains("Stratus:Qemu:Accelerator", error.Message, StringComparison.Ordinal);
    }
}
