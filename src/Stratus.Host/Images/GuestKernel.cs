namespace Stratus.Host.Images;

/// <summary>A Linux kernel for guests and the module tree that belongs to it (both from a linux-image package).</summary>
internal sealed record GuestKernel(string Version, string KernelPath, string ModulesDirectory)
{
    /// <summary>
    /// The kernel to use: <paramref name="kernelPath"/> if given (its modules from /lib/modules/&lt;version&gt;, the version
    /// taken from the vmlinuz-&lt;version&gt; name), otherwise the newest /boot/vmlinuz-* that has a module tree.
    /// Throws <see cref="FileNotFoundException"/> naming the package to install when there is none.
    /// </summary>
    public static GuestKernel Locate(string? kernelPath = null, string bootDirectory = "/boot", string modulesRoot = "/lib/modules")
    {
        if (kernelPath is not null)
        {
            if (!File.Exists(kernelPath))
                throw new FileNotFoundException($"kernel {kernelPath} does not exist", kernelPath);
            var version = VersionOf(kernelPath)
                ?? throw new ArgumentException($"cannot tell the kernel version of {kernelPath}: expected a name like vmlinuz-<version>", nameof(kernelPath));
            var modules = Path.Combine(modulesRoot, version);
            if (!File.Exists(Path.Combine(modules, "modules.dep")))
                throw new FileNotFoundException($"kernel {kernelPath} has no module tree at {modules} (modules.dep missing)", modules);
            return new GuestKernel(version, kernelPath, modules);
        }

        var candidates = Directory.Exists(bootDirectory)
            ? Directory.GetFiles(bootDirectory, "vmlinuz-*")
            : [];
        var found = candidates
            .Select(path => (Path: path, Version: VersionOf(path)))
            .Where(c => c.Version is not null && File.Exists(Path.Combine(modulesRoot, c.Version, "modules.dep")))
            .OrderByDescending(c => c.Version, KernelVersionComparer.Instance)
            .FirstOrDefault();
        if (found.Path is null)
        {
            throw new FileNotFoundException(
                $"no guest kernel: {bootDirectory} has no vmlinuz-<version> with a module tree under {modulesRoot}; " +
                "install one (apt-get install linux-image-amd64) or pass a kernel path");
        }

        return new GuestKernel(found.Version!, found.Path, Path.Combine(modulesRoot, found.Version!));
    }

    private static string? VersionOf(string kernelPath)
    {
        var name = Path.GetFileName(kernelPath);
        return name.StartsWith("vmlinuz-", StringComparison.Ordinal) && name.Length > "vmlinuz-".Length ? name["vmlinuz-".Length..] : null;
    }
}
