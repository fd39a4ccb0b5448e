using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace Stratus.Host.Images;

/// <summary>
/// Assembles a busybox initramfs: the standard directories, /dev/console, busybox with a symlink per applet,
/// kernel modules with a load-order file, and any extra files; written as a gzip-compressed newc cpio.
/// </summary>
internal sealed class InitramfsBuilder(BusyboxBinary busybox)
{
    private static readonly string[] Directories =
        ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "run", "tmp", "etc", "mnt", "root", "var", "lib", "lib/modules"];

    private readonly List<(string Path, Func<CancellationToken, Task<byte[]>> Data, int Mode)> _files = [];
    private readonly List<(string Path, string Target)> _links = [];
    private readonly List<string> _loadOrder = [];

    public void AddFile(string path, byte[] data, int mode) => _files.Add((path, _ => Task.FromResult(data), mode));

    public void AddFile(string path, string text, int mode) => AddFile(path, Encoding.UTF8.GetBytes(text), mode);

    public void AddSymlink(string path, string target) => _links.Add((path, target));

    /// <summary>Adds the modules as /lib/modules/&lt;name&gt;.ko (decompressed) and lists them in /lib/modules/load-order.</summary>
    public void AddModules(GuestKernel kernel, KernelModuleSet modules, IReadOnlyDictionary<string, string>? parameters = null)
    {
        foreach (var module in modules.LoadOrder)
        {
            var source = Path.Combine(kernel.ModulesDirectory, module.RelativePath);
            _files.Add(($"lib/modules/{module.Name}.ko", ct => ReadModuleAsync(source, ct), 0x1A4 /* 0644 */));
            var args = parameters is not null && parameters.TryGetValue(module.Name, out var p) ? " " + p : "";
            _loadOrder.Add($"{module.Name}.ko{args}");
        }
    }

    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        var cpio = new CpioWriter(gzip);
        foreach (var dir in Directories)
            await cpio.AddDirectoryAsync(dir, cancellationToken);
        // The kernel opens /dev/console for init's stdio before anything can mount devtmpfs.
        await cpio.AddCharDeviceAsync("dev/console", 5, 1, 0x180 /* 0600 */, cancellationToken);
        await cpio.AddFileAsync("bin/busybox", await File.ReadAllBytesAsync(busybox.Path, cancellationToken), 0x1ED, cancellationToken);

        var taken = new HashSet<string>(StringComparer.Ordinal) { "bin/busybox" };
        foreach (var (path, data, mode) in _files)
        {
            var name = path.TrimStart('/');
            await cpio.AddParentsAsync(name, cancellationToken);
            await cpio.AddFileAsync(name, await data(cancellationToken), mode, cancellationToken);
            taken.Add(name);
        }

        if (_loadOrder.Count > 0)
            await cpio.AddFileAsync("lib/modules/load-order", Encoding.UTF8.GetBytes(string.Join('\n', _loadOrder) + "\n"), 0x1A4, cancellationToken);

        foreach (var (path, target) in _links)
        {
            var name = path.TrimStart('/');
            await cpio.AddParentsAsync(name, cancellationToken);
            await cpio.AddSymlinkAsync(name, target, cancellationToken);
            taken.Add(name);
        }

        foreach (var applet in busybox.Applets)
        {
            var name = applet.TrimStart('/');
            if (!taken.Add(name))
                continue;
            await cpio.AddParentsAsync(name, cancellationToken);
            await cpio.AddSymlinkAsync(name, "/bin/busybox", cancellationToken);
        }

        await cpio.FinishAsync(cancellationToken);
    }

    /// <summary>
    /// Module files as insmod wants them: plain ELF. Debian 12 ships them uncompressed; later releases compress them
    /// with xz or zstd, which busybox insmod may not read, so they are unpacked here.
    /// </summary>
    private static async Task<byte[]> ReadModuleAsync(string path, CancellationToken cancellationToken)
    {
        if (path.EndsWith(".ko", StringComparison.Ordinal))
            return await File.ReadAllBytesAsync(path, cancellationToken);
        if (path.EndsWith(".ko.gz", StringComparison.Ordinal))
        {
            await using var file = File.OpenRead(path);
            await using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            await gz.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }

        var tool = path.EndsWith(".ko.xz", StringComparison.Ordinal) ? "xz"
            : path.EndsWith(".ko.zst", StringComparison.Ordinal) ? "zstd"
            : throw new InvalidDataException($"unknown kernel module compression: {path}");
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-dc");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        using var output = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidDataException($"{tool} -dc {path} failed: {(await errors).Trim()}");
        return output.ToArray();
    }
}
