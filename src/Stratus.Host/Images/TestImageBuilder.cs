using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Processes;

namespace Stratus.Host.Images;

/// <summary>
/// Builds the cirros-like test image from Debian packages alone: the kernel of a linux-image package, an initramfs
/// around busybox-static (Guest/rcS is its init; it reads a config drive, configures the NICs, prints the
/// <see cref="TestImageBanner"/> on ttyS0 and runs the user data), and FAT boot disks (raw, qcow2) holding both.
/// Idempotent: a directory whose manifest records the same inputs is left alone; otherwise everything is built in a
/// staging directory and moved into place, the manifest last.
/// </summary>
internal sealed partial class TestImageBuilder(ILogger<TestImageBuilder>? logger = null)
{
    /// <summary>Bumped whenever the builder's output changes for the same inputs.</summary>
    private const int Format = 1;

    /// <summary>
    /// What the guest needs from the module tree: virtio devices (disk, NIC, balloon), IDE and AHCI CD-ROMs and disks
    /// for config drives, the file systems a config drive uses, and the ACPI power button with evdev for acpid.
    /// </summary>
    private static readonly string[] Modules =
    [
        "virtio_pci", "virtio_blk", "virtio_net", "virtio_balloon",
        "ata_piix", "ahci", "sd_mod", "sr_mod",
        "isofs", "vfat", "nls_cp437", "nls_ascii", "nls_iso8859_1", "nls_utf8",
        "button", "evdev",
    ];

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<TestImage> BuildAsync(TestImageOptions options, CancellationToken cancellationToken)
    {
        var outDir = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(outDir);

        var kernel = GuestKernel.Locate(options.KernelPath);
        var busybox = await BusyboxBinary.LocateAsync(options.BusyboxPath, cancellationToken);
        var modules = await KernelModuleResolver.ResolveAsync(kernel.ModulesDirectory, Modules, cancellationToken);
        var inputsHash = HashInputs(options, kernel, busybox, modules);
        var kernelArgs = TestImage.DefaultKernelArgs;

        var wanted = new List<string> { "vmlinuz", "initrd.img" };
        if (options.Disks.HasFlag(TestImageDisks.Raw))
            wanted.Add("disk.raw");
        if (options.Disks.HasFlag(TestImageDisks.Qcow2))
            wanted.Add("disk.qcow2");

        var manifestPath = Path.Combine(outDir, "manifest.json");
        if (await IsUpToDateAsync(manifestPath, outDir, inputsHash, wanted, cancellationToken))
        {
            Log.UpToDate(_logger, outDir);
            return Result(outDir, options.Disks, kernel, kernelArgs, File.Exists(Path.Combine(outDir, "vmlinux")), reused: true);
        }

        Log.Building(_logger, outDir, kernel.Version, kernel.KernelPath, busybox.Path);
        var staging = Path.Combine(outDir, $".staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            File.Copy(kernel.KernelPath, Path.Combine(staging, "vmlinuz"));
            if (await KernelUnpacker.TryExtractPvhAsync(kernel.KernelPath, Path.Combine(staging, "vmlinux"), cancellationToken))
                wanted.Add("vmlinux");
            else
                Log.NoPvhKernel(_logger, kernel.KernelPath);
            await WriteInitrdAsync(Path.Combine(staging, "initrd.img"), kernel, busybox, modules, cancellationToken);

            if (options.Disks != TestImageDisks.None)
            {
                var raw = Path.Combine(staging, "disk.raw");
                await FatBootDisk.CreateAsync(raw, Path.Combine(staging, "vmlinuz"), Path.Combine(staging, "initrd.img"), kernelArgs, options.DiskSizeMiB, cancellationToken);
                if (options.Disks.HasFlag(TestImageDisks.Qcow2))
                {
                    var qemuImg = ExternalCommand.Find("qemu-img") ?? throw new FileNotFoundException("qemu-img not found; install it: apt-get install qemu-utils");
                    await ExternalCommand.RunCheckedAsync(qemuImg, ["convert", "-f", "raw", "-O", "qcow2", raw, Path.Combine(staging, "disk.qcow2")], cancellationToken);
                }

                if (!options.Disks.HasFlag(TestImageDisks.Raw))
                    File.Delete(raw);
            }

            var files = new Dictionary<string, TestImageFile>(StringComparer.Ordinal);
            foreach (var name in wanted)
                files[name] = await DescribeAsync(Path.Combine(staging, name), cancellationToken);

            // Old outputs first (a stale manifest must not describe new files), then the new ones, the manifest last.
            File.Delete(manifestPath);
            foreach (var name in new[] { "vmlinuz", "vmlinux", "initrd.img", "disk.raw", "disk.qcow2" })
            {
                var target = Path.Combine(outDir, name);
                if (wanted.Contains(name))
                    File.Move(Path.Combine(staging, name), target, overwrite: true);
                else
                    File.Delete(target);
            }

            var manifest = new TestImageManifest(
                Format, inputsHash, kernel.Version, kernel.KernelPath, busybox.Path, kernelArgs,
                TestImageBanner.Prefix + "hostname=<hostname> addresses=<ipv4/prefix>[,...]|none",
                modules.LoadOrder.Select(m => m.Name).ToList(), modules.Missing, files);
            var temp = Path.Combine(staging, "manifest.json");
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(manifest, ManifestJson), cancellationToken);
            File.Move(temp, manifestPath, overwrite: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        if (modules.Missing.Count > 0)
            Log.ModulesMissing(_logger, kernel.Version, string.Join(", ", modules.Missing));
        Log.Built(_logger, outDir);
        return Result(outDir, options.Disks, kernel, kernelArgs, wanted.Contains("vmlinux"), reused: false);
    }

    /// <summary>The test image's initramfs: busybox, the guest scripts (Guest/*), the modules, init = busybox init.</summary>
    private static async Task WriteInitrdAsync(string path, GuestKernel kernel, BusyboxBinary busybox, KernelModuleSet modules, CancellationToken cancellationToken)
    {
        var initramfs = new InitramfsBuilder(busybox);
        initramfs.AddModules(kernel, modules);
        initramfs.AddSymlink("init", "/bin/busybox");
        initramfs.AddFile("etc/inittab", GuestAssets.Read("inittab"), 0x1A4);
        initramfs.AddFile("etc/init.d/rcS", GuestAssets.Read("rcS"), 0x1ED);
        initramfs.AddFile("etc/stratus/json.awk", GuestAssets.Read("json.awk"), 0x1A4);
        initramfs.AddFile("etc/stratus/udhcpc.script", GuestAssets.Read("udhcpc.script"), 0x1ED);
        // busybox acpid maps the power button to the action "PWRF/00000080", a path under its config directory.
        initramfs.AddFile("etc/acpi/PWRF/00000080", GuestAssets.Read("power-button"), 0x1ED);
        initramfs.AddFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0x1A4);
        initramfs.AddFile("etc/group", "root:x:0:\n", 0x1A4);
        initramfs.AddFile("etc/hosts", "127.0.0.1 localhost\n", 0x1A4);

        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await initramfs.WriteAsync(file, cancellationToken);
    }

    private static TestImage Result(string dir, TestImageDisks disks, GuestKernel kernel, string kernelArgs, bool pvh, bool reused) => new(
        dir,
        Path.Combine(dir, "vmlinuz"),
        pvh ? Path.Combine(dir, "vmlinux") : null,
        Path.Combine(dir, "initrd.img"),
        disks.HasFlag(TestImageDisks.Raw) ? Path.Combine(dir, "disk.raw") : null,
        disks.HasFlag(TestImageDisks.Qcow2) ? Path.Combine(dir, "disk.qcow2") : null,
        kernel.Version,
        kernelArgs,
        reused);

    private static async Task<bool> IsUpToDateAsync(string manifestPath, string dir, string inputsHash, List<string> wanted, CancellationToken cancellationToken)
    {
        if (!File.Exists(manifestPath))
            return false;
        TestImageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<TestImageManifest>(await File.ReadAllTextAsync(manifestPath, cancellationToken), ManifestJson);
        }
        catch (JsonException)
        {
            return false;
        }

        // Sizes, not checksums: re-hashing a 64 MiB disk on every call would cost more than the check is worth.
        return manifest is not null
            && manifest.Format == Format
            && manifest.InputsHash == inputsHash
            && wanted.All(manifest.Files.ContainsKey)
            && manifest.Files.All(f => new FileInfo(Path.Combine(dir, f.Key)) is { Exists: true } info && info.Length == f.Value.Size);
    }

    /// <summary>Identifies every input by path, size and modification time, plus the embedded guest scripts and options.</summary>
    private static string HashInputs(TestImageOptions options, GuestKernel kernel, BusyboxBinary busybox, KernelModuleSet modules)
    {
        var text = new StringBuilder();
        text.Append("format=").Append(Format).Append('\n');
        text.Append("disks=").Append(options.Disks).Append(" size=").Append(options.DiskSizeMiB).Append('\n');
        text.Append("args=").Append(TestImage.DefaultKernelArgs).Append('\n');
        AppendFile(kernel.KernelPath);
        AppendFile(busybox.Path);
        foreach (var module in modules.LoadOrder)
            AppendFile(Path.Combine(kernel.ModulesDirectory, module.RelativePath));
        foreach (var asset in new[] { "inittab", "rcS", "json.awk", "udhcpc.script", "power-button" })
            text.Append(asset).Append('=').Append(Convert.ToHexString(SHA256.HashData(GuestAssets.Read(asset)))).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        void AppendFile(string path)
        {
            var info = new FileInfo(path);
            text.Append(path).Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
    }

    private static async Task<TestImageFile> DescribeAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var hash = await SHA256.HashDataAsync(file, cancellationToken);
        return new TestImageFile(file.Length, Convert.ToHexStringLower(hash));
    }

    private static partial class Log
    {
        [LoggerMessage(3100, LogLevel.Information, "Test image in {Directory} is up to date")]
        public static partial void UpToDate(ILogger logger, string directory);

        [LoggerMessage(3101, LogLevel.Information, "Building test image in {Directory}: kernel {KernelVersion} ({KernelPath}), {Busybox}")]
        public static partial void Building(ILogger logger, string directory, string kernelVersion, string kernelPath, string busybox);

        [LoggerMessage(3102, LogLevel.Information, "Test image built in {Directory}")]
        public static partial void Built(ILogger logger, string directory);

        [LoggerMessage(3104, LogLevel.Information, "No PVH-capable vmlinux in {KernelPath}; direct kernel boot uses the compressed kernel")]
        public static partial void NoPvhKernel(ILogger logger, string kernelPath);

        [LoggerMessage(3103, LogLevel.Warning, "Kernel {KernelVersion} has no modules {Modules}; the test image boots without them")]
        public static partial void ModulesMissing(ILogger logger, string kernelVersion, string modules);
    }
}
