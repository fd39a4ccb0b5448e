using Stratus.Host.Processes;

namespace Stratus.Host.Images;

/// <summary>
/// A statically linked busybox (Debian's busybox-static) and its applet paths. A guest initramfs has no C library,
/// so a dynamically linked busybox cannot run there; the ELF program headers tell the two apart (PT_INTERP).
/// </summary>
internal sealed record BusyboxBinary(string Path, IReadOnlyList<string> Applets)
{
    private static readonly string[] DefaultPaths = ["/bin/busybox", "/usr/bin/busybox", "/sbin/busybox", "/usr/sbin/busybox"];

    public static async Task<BusyboxBinary> LocateAsync(string? path, CancellationToken cancellationToken)
    {
        var candidates = path is not null ? [path] : DefaultPaths;
        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                path is not null ? $"busybox {path} does not exist" : "busybox not found; install it: apt-get install busybox-static");
        if (!await IsStaticElfAsync(found, cancellationToken))
            throw new InvalidDataException($"{found} is dynamically linked and cannot run in a guest initramfs; install busybox-static");

        // "--list-full" prints the install path of every applet: bin/sh, sbin/init, usr/bin/awk, ...
        var listing = await ExternalCommand.RunCheckedAsync(found, ["--list-full"], cancellationToken);
        var applets = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new BusyboxBinary(found, applets);
    }

    /// <summary>True for an x86-64 ELF executable without a PT_INTERP program header (no dynamic loader).</summary>
    public static async Task<bool> IsStaticElfAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var header = new byte[64];
        if (await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken) < header.Length)
            return false;
        // e_ident: \x7fELF, class 2 = 64-bit, data 1 = little-endian.
        if (header[0] != 0x7F || header[1] != 'E' || header[2] != 'L' || header[3] != 'F' || header[4] != 2 || header[5] != 1)
            return false;
        var phoff = BitConverter.ToInt64(header, 0x20);
        var phentsize = BitConverter.ToUInt16(header, 0x36);
        var phnum = BitConverter.ToUInt16(header, 0x38);
        var table = new byte[phentsize * phnum];
        file.Position = phoff;
        if (await file.ReadAtLeastAsync(table, table.Length, throwOnEndOfStream: false, cancellationToken) < table.Length)
            return false;
        for (var i = 0; i < phnum; i++)
        {
            const uint PtInterp = 3;
            if (BitConverter.ToUInt32(table, i * phentsize) == PtInterp)
                return false;
        }

        return true;
    }
}
