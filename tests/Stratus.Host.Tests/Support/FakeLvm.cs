using System.Globalization;
using Stratus.Host.Processes;

namespace Stratus.Host.Tests.Support;

/// <summary>
/// A hand-written lvm2 at the command-line boundary: records every command, keeps volume groups and logical volumes
/// in memory, and backs each LV with a regular file at <c>&lt;deviceRoot&gt;/&lt;vg&gt;/&lt;lv&gt;</c> so the driver's
/// real block I/O (streaming imports, qemu-img copies) runs against it. A new or grown LV is filled with 0xAA, as a
/// real LV holds whatever a destroyed one left, so a driver that forgets to zero is caught. qemu-img and prlimit run
/// for real. <see cref="FailWhen"/> makes a chosen command fail.
/// </summary>
internal sealed class FakeLvm(string deviceRoot, ICommandRunner real) : ICommandRunner
{
    public const long Extent = 4L << 20;
    private const byte Stale = 0xAA;
    private readonly HashSet<string> _physicalVolumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VolumeGroup> _groups = new(StringComparer.Ordinal);

    public List<string> Commands { get; } = [];

    /// <summary>The commands other than qemu-img (and its prlimit wrapper): the lvm2 and util-linux sequence.</summary>
    public IReadOnlyList<string> StorageCommands => [.. Commands.Where(c => !c.StartsWith("qemu-img", StringComparison.Ordinal) && !c.Contains("prlimit", StringComparison.Ordinal))];

    /// <summary>A command line prefix that fails (exit 5, the given stderr) instead of running.</summary>
    public (string Prefix, string Error)? FailWhen { get; set; }

    public string DevicePath(string vg, string lv) => Path.Join(deviceRoot, vg, lv);

    public bool HasVolumeGroup(string vg) => _groups.ContainsKey(vg);

    public IReadOnlyCollection<string> PhysicalVolumes => _physicalVolumes;

    public async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var line = CommandLineText.Format(fileName, arguments);
        Commands.Add(line);
        if (fileName == "qemu-img" || fileName.EndsWith("prlimit", StringComparison.Ordinal))
        {
            return await real.RunAsync(fileName, arguments, cancellationToken);
        }

        if (FailWhen is { } failure && line.StartsWith(failure.Prefix, StringComparison.Ordinal))
        {
            return Fail(fileName, arguments, failure.Error);
        }

        try
        {
            return Ok(fileName, arguments, Execute(fileName, arguments));
        }
        catch (LvmError error)
        {
            return Fail(fileName, arguments, error.Message);
        }
    }

    private string Execute(string tool, IReadOnlyList<string> arguments)
    {
        var positional = Positional(arguments);
        switch (tool)
        {
            case "pvcreate":
                var device = positional[^1];
                if (!File.Exists(device))
                {
                    throw new LvmError($"  Cannot use {device}: device not found");
                }

                _physicalVolumes.Add(device);
                return $"  Physical volume \"{device}\" successfully created.";
            case "pvremove":
                _physicalVolumes.Remove(positional[^1]);
                return "";
            case "vgcreate":
            {
                var name = positional[0];
                var devices = positional.Skip(1).ToList();
                if (devices.Any(d => !_physicalVolumes.Contains(d)))
                {
                    throw new LvmError("  Device not a physical volume");
                }

                var size = devices.Sum(d => new FileInfo(d).Length) / Extent * Extent - Extent;
                _groups.Add(name, new VolumeGroup(size));
                Directory.CreateDirectory(Path.Join(deviceRoot, name));
                return $"  Volume group \"{name}\" successfully created";
            }

            case "vgs":
            {
                var group = Group(positional[^1]);
                return $"  {group.Size}:{group.Free}:{Extent}\n";
            }

            case "lvs":
            {
                var group = Group(positional[^1]);
                return string.Concat(group.Volumes.Select(v =>
                    $"  {v.Key}:{v.Value.Size}:-{(v.Value.ReadOnly ? 'r' : 'w')}i-a-----:{string.Join(',', v.Value.Tags)}\n"));
            }

            case "vgchange":
                Group(positional[^1]);
                return "";
            case "vgremove":
            {
                var name = positional[^1];
                if (Group(name).Volumes.Count > 0)
                {
                    throw new LvmError($"  Volume group \"{name}\" still contains logical volumes");
                }

                _groups.Remove(name);
                Directory.Delete(Path.Join(deviceRoot, name));
                return "";
            }

            case "lvcreate":
            {
                var name = Option(arguments, "-n");
                var size = RoundUp(Bytes(Option(arguments, "-L")));
                var vg = positional[^1];
                var group = Group(vg);
                if (size > group.Free)
                {
                    throw new LvmError($"  Volume group \"{vg}\" has insufficient free space ({group.Free / Extent} extents): {size / Extent} required.");
                }

                group.Volumes.Add(name, new Volume(size));
                Fill(DevicePath(vg, name), 0, size, Stale);
                return $"  Logical volume \"{name}\" created.";
            }

            case "lvremove":
            {
                var (vg, lv) = Split(positional[^1]);
                if (!Group(vg).Volumes.Remove(lv))
                {
                    throw new LvmError($"  Failed to find logical volume \"{vg}/{lv}\"");
                }

                File.Delete(DevicePath(vg, lv));
                return "";
            }

            case "lvextend":
            {
                var (vg, lv) = Split(positional[^1]);
                var volume = FindVolume(vg, lv);
                var size = RoundUp(Bytes(Option(arguments, "-L")));
                Fill(DevicePath(vg, lv), volume.Size, size - volume.Size, Stale);
                volume.Size = size;
                return "";
            }

            case "lvchange":
            {
                var (vg, lv) = Split(positional[^1]);
                var volume = FindVolume(vg, lv);
                for (var i = 0; i < arguments.Count - 1; i++)
                {
                    switch (arguments[i])
                    {
                        case "-p":
                            volume.ReadOnly = arguments[++i] == "r";
                            break;
                        case "--addtag":
                            volume.Tags.Add(arguments[++i]);
                            break;
                        case "--deltag":
                            volume.Tags.Remove(arguments[++i]);
                            break;
                    }
                }

                return "";
            }

            case "blkdiscard":
            {
                var offset = long.Parse(Option(arguments, "--offset"), CultureInfo.InvariantCulture);
                var length = long.Parse(Option(arguments, "--length"), CultureInfo.InvariantCulture);
                Fill(positional[^1], offset, length, 0);
                return "";
            }

            default:
                throw new LvmError($"{tool}: not faked");
        }
    }

    private VolumeGroup Group(string name) =>
        _groups.TryGetValue(name, out var group) ? group : throw new LvmError($"  Volume group \"{name}\" not found");

    private Volume FindVolume(string vg, string lv) =>
        Group(vg).Volumes.TryGetValue(lv, out var volume) ? volume : throw new LvmError($"  Failed to find logical volume \"{vg}/{lv}\"");

    private static void Fill(string path, long offset, long length, byte value)
    {
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        file.Seek(offset, SeekOrigin.Begin);
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, value);
        for (var done = 0L; done < length; done += chunk.Length)
        {
            file.Write(chunk, 0, (int)Math.Min(chunk.Length, length - done));
        }
    }

    /// <summary>Arguments that are neither options nor option values (lvm's own grammar, for the options the driver uses).</summary>
    private static List<string> Positional(IReadOnlyList<string> arguments)
    {
        string[] withValue = ["-n", "-L", "-W", "-p", "-o", "--units", "--separator", "--metadatasize", "--addtag", "--deltag", "--offset", "--length"];
        var positional = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (withValue.Contains(arguments[i]))
            {
                i++;
            }
            else if (!arguments[i].StartsWith('-'))
            {
                positional.Add(arguments[i]);
            }
        }

        return positional;
    }

    private static string Option(IReadOnlyList<string> arguments, string name) => arguments[arguments.ToList().IndexOf(name) + 1];

    private static long Bytes(string size) =>
        size.EndsWith('b') ? long.Parse(size[..^1], CultureInfo.InvariantCulture) : throw new LvmError($"size {size} is not in bytes");

    private static long RoundUp(long bytes) => (bytes + Extent - 1) / Extent * Extent;

    private static (string Vg, string Lv) Split(string path) => (path[..path.IndexOf('/')], path[(path.IndexOf('/') + 1)..]);

    private static CommandResult Ok(string tool, IReadOnlyList<string> arguments, string output) => new(tool, arguments, 0, output, "");

    private static CommandResult Fail(string tool, IReadOnlyList<string> arguments, string error) => new(tool, arguments, 5, "", error);

    private sealed class VolumeGroup(long size)
    {
        public long Size { get; } = size;

        public SortedDictionary<string, Volume> Volumes { get; } = new(StringComparer.Ordinal);

        public long Free => Size - Volumes.Values.Sum(v => v.Size);
    }

    private sealed class Volume(long size)
    {
        public long Size { get; set; } = size;

        public bool ReadOnly { get; set; }

        public List<string> Tags { get; } = [];
    }

    private sealed class LvmError(string message) : Exception(message);
}
