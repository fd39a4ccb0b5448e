using System.Globalization;

namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// Turns a <see cref="VmLaunchSpec"/> into qemu-system-x86_64 arguments (docs: qemu-options.hx):
/// <list type="bullet">
/// <item>identity and machine: <c>-name</c>, <c>-uuid</c> (what adoption checks in /proc/&lt;pid&gt;/cmdline), <c>-machine</c>, <c>-accel</c>, <c>-cpu host</c> under KVM, <c>-smp</c>, <c>-m</c> (VM.memory_static_max);</item>
/// <item>no defaults: <c>-nodefaults -no-user-config</c>, then exactly the devices the VM has: a VGA for the VNC console, a virtio-balloon (target VM.memory_dynamic_max, set over QMP);</item>
/// <item>disks from VBDs: <c>-drive if=none</c> + <c>virtio-blk-pci</c>, CD-ROMs as <c>ide-cd</c> (empty drive when no VDI); the file may be an <c>nfs://</c> URL, opened by QEMU's libnfs driver;</item>
/// <item>NICs from VIFs: <c>-netdev tap</c> on the agent's TAP (script=no: the agent bridges it) or <c>-netdev user</c>, + <c>virtio-net-pci,mac=...</c>;</item>
/// <item>boot: <c>-kernel/-initrd/-append</c> for PV-style VMs, otherwise bootindex from HVM_boot_params order (c disk, d CD-ROM, n network);</item>
/// <item>control: serial to a file, VNC on the first free display, QMP on a unix socket, <c>-pidfile</c>, <c>-daemonize</c> (QEMU outlives the agent), <c>-S</c> to start paused.</item>
/// </list>
/// Values inside QEMU option lists escape a comma by doubling it.
/// </summary>
internal static class QemuCommandLine
{
    public static IReadOnlyList<string> Build(VmLaunchSpec spec, QemuVmPaths paths, string accelerator, QemuOptions options, IReadOnlyList<string?> taps)
    {
        if (spec.Vcpus < 1)
            throw new ArgumentException($"VM {spec.Uuid} needs at least one VCPU, has {spec.Vcpus}", nameof(spec));
        if (spec.MemoryBytes < 1 << 20)
            throw new ArgumentException($"VM {spec.Uuid} needs at least 1 MiB of memory, has {spec.MemoryBytes} bytes", nameof(spec));
        if (taps.Count != spec.Nics.Count)
            throw new ArgumentException("one TAP entry (or null) per NIC", nameof(taps));

        var args = new List<string>
        {
            "-name", $"guest={Escape(spec.Name)},debug-threads=on",
            "-uuid", spec.Uuid,
            "-machine", options.Machine,
            "-accel", accelerator,
        };
        if (accelerator == "kvm")
            args.AddRange(["-cpu", "host"]);
        args.AddRange(
        [
            "-smp", spec.Vcpus.ToString(CultureInfo.InvariantCulture),
            "-m", $"{MiB(spec.MemoryBytes)}M",
            "-nodefaults", "-no-user-config",
            "-display", "none",
            "-vga", "std",
            // VNC on a unix socket, reached through the agent's CONNECT /console as xapi's consoles are: no TCP
            // port open to every local user, and it works from inside a network namespace.
            "-vnc", $"unix:{paths.VncSocket}",
            "-chardev", $"file,id=serial0,path={Escape(paths.ConsoleLog)}",
            "-serial", "chardev:serial0",
            "-chardev", $"socket,id=qmp,path={Escape(paths.QmpSocket)},server=on,wait=off",
            "-mon", "chardev=qmp,mode=control",
            "-pidfile", paths.PidFile,
            "-daemonize",
            "-device", "virtio-balloon-pci,id=balloon0",
        ]);

        var bootIndex = BootIndexes(spec);
        foreach (var disk in spec.Disks)
        {
            var index = disk.Index.ToString(CultureInfo.InvariantCulture);
            var boot = bootIndex.TryGetValue(("disk", disk.Index), out var b) ? $",bootindex={b}" : "";
            if (disk.IsCdrom)
            {
                var drive = $"if=none,id=cd{index},media=cdrom,readonly=on";
                if (disk.Path is not null)
                    drive += $",file={Escape(disk.Path)},format={Escape(disk.Format)}";
                args.AddRange(["-drive", drive, "-device", $"ide-cd,drive=cd{index},id=vbd{index}{boot}"]);
            }
            else
            {
                if (disk.Path is null)
                    throw new ArgumentException($"disk {disk.Index} of VM {spec.Uuid} has no path; only CD-ROMs may be empty", nameof(spec));
                var drive = $"if=none,id=disk{index},file={Escape(disk.Path)},format={Escape(disk.Format)},discard=unmap";
                if (disk.ReadOnly)
                    drive += ",readonly=on";
                args.AddRange(["-drive", drive, "-device", $"virtio-blk-pci,drive=disk{index},id=vbd{index}{boot}"]);
            }
        }

        for (var i = 0; i < spec.Nics.Count; i++)
        {
            var nic = spec.Nics[i];
            var index = nic.Index.ToString(CultureInfo.InvariantCulture);
            args.Add("-netdev");
            args.Add(taps[i] is { } tap ? $"tap,id=net{index},ifname={tap},script=no,downscript=no" : $"user,id=net{index}");
            var device = $"virtio-net-pci,netdev=net{index},id=vif{index},mac={nic.Mac}";
            if (nic.Mtu > 0 && nic.Mtu != 1500)
                device += $",host_mtu={nic.Mtu.ToString(CultureInfo.InvariantCulture)}";
            if (bootIndex.TryGetValue(("nic", nic.Index), out var b))
                device += $",bootindex={b}";
            args.AddRange(["-device", device]);
        }

        if (spec.Boot.Kernel is not null)
        {
            args.AddRange(["-kernel", spec.Boot.Kernel]);
            if (spec.Boot.Ramdisk is not null)
                args.AddRange(["-initrd", spec.Boot.Ramdisk]);
            if (!string.IsNullOrEmpty(spec.Boot.Args))
                args.AddRange(["-append", spec.Boot.Args]);
        }

        if (spec.StartPaused)
            args.Add("-S");
        return args;
    }

    /// <summary>
    /// bootindex per device from the boot order (VM.HVM_boot_params order, e.g. "cd"): for c the VM's disks
    /// (bootable ones first, VBD.bootable), for d its CD-ROMs, for n its NICs. Direct kernel boot needs none.
    /// </summary>
    private static Dictionary<(string Kind, int Index), int> BootIndexes(VmLaunchSpec spec)
    {
        var result = new Dictionary<(string, int), int>();
        if (spec.Boot.Kernel is not null)
            return result;
        var next = 0;
        foreach (var device in (string.IsNullOrEmpty(spec.Boot.Order) ? "cd" : spec.Boot.Order).ToLowerInvariant().Distinct())
        {
            var devices = device switch
            {
                'c' => spec.Disks.Where(d => !d.IsCdrom).OrderByDescending(d => d.Bootable).ThenBy(d => d.Index).Select(d => ("disk", d.Index)),
                'd' => spec.Disks.Where(d => d.IsCdrom).OrderBy(d => d.Index).Select(d => ("disk", d.Index)),
                'n' => spec.Nics.OrderBy(n => n.Index).Select(n => ("nic", n.Index)),
                _ => [],
            };
            foreach (var key in devices)
                result[key] = next++;
        }

        return result;
    }

    /// <summary>QEMU option-list escaping: a comma inside a value is written twice.</summary>
    public static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);

    private static long MiB(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
