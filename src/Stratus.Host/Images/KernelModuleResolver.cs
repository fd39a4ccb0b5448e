namespace Stratus.Host.Images;

/// <summary>
/// Resolves module names to files and a load order from the module tree's modules.dep (written by depmod:
/// "path: dependency-path ...") and modules.builtin. busybox insmod loads one file and knows nothing of
/// dependencies, so the order has to be worked out here.
/// </summary>
internal static class KernelModuleResolver
{
    public static async Task<KernelModuleSet> ResolveAsync(string modulesDirectory, IEnumerable<string> wanted, CancellationToken cancellationToken)
    {
        var dependencies = new Dictionary<string, (string Path, string[] Needs)>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(modulesDirectory, "modules.dep"), cancellationToken))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;
            var path = line[..colon].Trim();
            var needs = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(NameOf).ToArray();
            dependencies[NameOf(path)] = (path, needs);
        }

        var builtInPath = Path.Combine(modulesDirectory, "modules.builtin");
        var builtIn = File.Exists(builtInPath)
            ? (await File.ReadAllLinesAsync(builtInPath, cancellationToken)).Where(l => l.Length > 0).Select(NameOf).ToHashSet(StringComparer.Ordinal)
            : [];

        var order = new List<KernelModule>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var builtInWanted = new List<string>();
        var missing = new List<string>();
        foreach (var raw in wanted)
        {
            var name = Normalize(raw);
            if (dependencies.ContainsKey(name))
                Visit(name, []);
            else if (builtIn.Contains(name))
                builtInWanted.Add(name);
            else
                missing.Add(name);
        }

        return new KernelModuleSet(order, builtInWanted, missing);

        void Visit(string name, HashSet<string> path)
        {
            if (done.Contains(name) || !dependencies.TryGetValue(name, out var entry))
                return;
            if (!path.Add(name))
                throw new InvalidDataException($"modules.dep has a dependency cycle through {name}");
            foreach (var need in entry.Needs)
                Visit(need, path);
            path.Remove(name);
            done.Add(name);
            order.Add(new KernelModule(name, entry.Path));
        }
    }

    /// <summary>virtio_blk from kernel/drivers/block/virtio_blk.ko.xz; dashes count as underscores, as in modprobe.</summary>
    public static string NameOf(string path)
    {
        var name = Path.GetFileName(path.Trim());
        var ko = name.IndexOf(".ko", StringComparison.Ordinal);
        return Normalize(ko > 0 ? name[..ko] : name);
    }

    private static string Normalize(string name) => name.Replace('-', '_');
}
