using System.Collections.Concurrent;
using System.Diagnostics;
using Stratus.Host.Images;

namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// Decides between KVM and TCG. /dev/kvm existing proves nothing: under nested virtualisation KVM can accept a VM
/// and then hang (or abort) while booting it. So KVM is used only when a real boot under KVM gets to userspace
/// within <see cref="QemuOptions.ProbeTimeout"/>: the host's Linux kernel with a busybox initramfs whose init
/// prints a marker on the serial port and powers off. Without a kernel to boot, a 512-byte boot sector that prints
/// the marker and exits through isa-debug-exit stands in, with a shorter limit. The result is cached for the life
/// of the process (one probe per agent start) and logged.
/// </summary>
internal sealed partial class AcceleratorProbe(QemuOptions options, ILogger logger, TimeProvider time)
{
    private const string Marker = "STRATUS-PROBE-OK";

    private static readonly ConcurrentDictionary<string, Lazy<Task<AcceleratorChoice>>> Cache = new(StringComparer.Ordinal);

    public Task<AcceleratorChoice> ChooseAsync(CancellationToken cancellationToken)
    {
        if (options.Accelerator is "kvm" or "tcg")
            return Task.FromResult(new AcceleratorChoice(options.Accelerator, $"configured (--accelerator {options.Accelerator})"));
        var key = $"{options.Binary}|{options.NetworkNamespace}|{options.ProbeKernel}|{options.ProbeTimeout}";
        // The probe runs once per process; callers that give up waiting do not cancel it for the others.
        var probe = Cache.GetOrAdd(key, _ => new Lazy<Task<AcceleratorChoice>>(() => Task.Run(() => ProbeAsync(CancellationToken.None))));
        return probe.Value.WaitAsync(cancellationToken);
    }

    private async Task<AcceleratorChoice> ProbeAsync(CancellationToken cancellationToken)
    {
        AcceleratorChoice choice;
        if (!File.Exists("/dev/kvm"))
        {
            choice = new AcceleratorChoice("tcg", "no /dev/kvm");
        }
        else
        {
            var work = Path.Combine(Path.GetTempPath(), $"stratus-kvm-probe-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            try
            {
                var (args, limit, what) = await PrepareAsync(work, cancellationToken);
                var started = time.GetTimestamp();
                var (ok, detail) = await BootAsync(args, limit, cancellationToken);
                var elapsed = time.GetElapsedTime(started);
                choice = ok
                    ? new AcceleratorChoice("kvm", $"{what} under KVM reached its init in {elapsed.TotalMilliseconds:F0} ms")
                    : new AcceleratorChoice("tcg", $"{what} under KVM failed: {detail}");
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        Log.Chosen(logger, choice.Name, choice.Reason);
        return choice;
    }

    /// <summary>The probe guest: kernel + initramfs when a kernel and busybox-static are there, else the boot sector.</summary>
    private async Task<(List<string> Args, TimeSpan Limit, string What)> PrepareAsync(string work, CancellationToken cancellationToken)
    {
        var args = new List<string>
        {
            "-machine", options.Machine, "-accel", "kvm", "-cpu", "host", "-m", "128M", "-smp", "1",
            "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-serial", "stdio",
        };
        try
        {
            var kernel = GuestKernel.Locate(options.ProbeKernel);
            var busybox = await BusyboxBinary.LocateAsync(null, cancellationToken);
            var initrd = Path.Combine(work, "probe-initrd.img");
            var initramfs = new InitramfsBuilder(busybox);
            initramfs.AddFile("init",
                $"""
                 #!/bin/busybox sh
                 /bin/busybox mount -t devtmpfs devtmpfs /dev
                 /bin/busybox echo {Marker} > /dev/ttyS0
                 /bin/busybox poweroff -f

                 """,
                0x1ED);
            await using (var file = File.Create(initrd))
                await initramfs.WriteAsync(file, cancellationToken);
            args.AddRange(["-kernel", kernel.KernelPath, "-initrd", initrd, "-append", "console=ttyS0 quiet panic=-1"]);
            return (args, options.ProbeTimeout, $"probe boot of Linux {kernel.Version}");
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException)
        {
            Log.BootSectorProbe(logger, e.Message);
            var disk = Path.Combine(work, "probe.img");
            await File.WriteAllBytesAsync(disk, BootSector(), cancellationToken);
            args.AddRange(["-drive", $"file={QemuCommandLine.Escape(disk)},format=raw,if=ide", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]);
            var limit = TimeSpan.FromTicks(Math.Min(options.ProbeTimeout.Ticks, TimeSpan.FromSeconds(2).Ticks));
            return (args, limit, "probe boot of a boot sector");
        }
    }

    /// <summary>Runs the probe VM until the marker appears on its serial port, it exits, or the limit passes; then kills it.</summary>
    private async Task<(bool Ok, string Detail)> BootAsync(List<string> args, TimeSpan limit, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(options.NetworkNamespace is null ? options.Binary : "ip")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (options.NetworkNamespace is not null)
        {
            foreach (var a in new[] { "netns", "exec", options.NetworkNamespace, options.Binary })
                info.ArgumentList.Add(a);
        }

        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, $"cannot run {options.Binary}: {e.Message}");
        }

        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains(Marker, StringComparison.Ordinal))
                    return (true, "");
            }

            await process.WaitForExitAsync(timeout.Token);
            var message = (await stderr).Trim();
            return (false, $"QEMU exited with code {process.ExitCode}{(message.Length > 0 ? ": " + message : "")}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no sign of life within {limit.TotalSeconds:F1} s");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Real-mode code at 0x7c00: DS=0; write the marker to COM1 (port 0x3f8) byte by byte; write 1 to
    /// isa-debug-exit (port 0xf4), which ends QEMU; halt. Then the 0x55AA boot signature.
    /// </summary>
    internal static byte[] BootSector()
    {
        byte[] code =
        [
            0x31, 0xC0,             // xor ax, ax
            0x8E, 0xD8,             // mov ds, ax
            0xBA, 0xF8, 0x03,       // mov dx, 0x3f8
            0xBE, 0x1B, 0x7C,       // mov si, 0x7c1b (the message below)
            0xAC,                   // .next: lodsb
            0x84, 0xC0,             // test al, al
            0x74, 0x03,             // jz .done
            0xEE,                   // out dx, al
            0xEB, 0xF8,             // jmp .next
            0xB0, 0x01,             // .done: mov al, 1
            0xBA, 0xF4, 0x00,       // mov dx, 0xf4
            0xEE,                   // out dx, al
            0xF4,                   // hlt
            0xEB, 0xFD,             // jmp hlt
        ];
        var sector = new byte[512];
        code.CopyTo(sector, 0);
        System.Text.Encoding.ASCII.GetBytes(Marker + "\r\n\0").CopyTo(sector, code.Length);
        sector[510] = 0x55;
        sector[511] = 0xAA;
        return sector;
    }

    private static partial class Log
    {
        [LoggerMessage(3000, LogLevel.Information, "QEMU accelerator: {Accelerator} ({Reason})")]
        public static partial void Chosen(ILogger logger, string accelerator, string reason);

        [LoggerMessage(3001, LogLevel.Information, "No kernel for the KVM probe ({Reason}); probing with a boot sector")]
        public static partial void BootSectorProbe(ILogger logger, string reason);
    }
}
