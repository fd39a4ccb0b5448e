using System.Buffers.Binary;
using System.Text;

namespace Stratus.Cloud.Conductor.ConfigDrive;

/// <summary>
/// Writes a small FAT12 file system image in memory, with long file names (VFAT), directories and a volume label:
/// what <c>mkfs.vfat -n LABEL</c> plus <c>mcopy</c> would produce for a config drive, without running either (a
/// build spawns no processes, which keeps boots cheap). The image is sized to its content. FAT12 is what a
/// file system this small is (fewer than 4085 clusters), so every FAT reader, the kernel's and busybox's included,
/// takes it as such. Layout: Microsoft's "FAT: General Overview of On-Disk Format" (boot sector, two FATs, a fixed
/// root directory, then 512-byte clusters).
/// </summary>
internal static class FatImage
{
    private const int SectorSize = 512;
    private const int RootEntries = 64;
    private const int EntrySize = 32;
    private const int MinimumSectors = 128;
    private const int SlackClusters = 8;
    private const byte Media = 0xF8;
    private const byte AttrDirectory = 0x10;
    private const byte AttrArchive = 0x20;
    private const byte AttrVolume = 0x08;
    private const byte AttrLongName = 0x0F;
    private const int LongNameChars = 13;

    /// <summary>
    /// Builds an image holding <paramref name="files"/> (paths with '/' separators, directories created as needed),
    /// labelled <paramref name="label"/> (at most 11 characters, kept as given: config drives are "config-2").
    /// </summary>
    public static byte[] Build(string label, IReadOnlyDictionary<string, byte[]> files, DateTime timestamp, uint volumeId)
    {
        if (label.Length is 0 or > 11 || label.Any(c => c > 0x7E || c < 0x20))
        {
            throw new ArgumentException($"'{label}' is not a FAT volume label (1 to 11 printable ASCII characters)", nameof(label));
        }

        var root = new Node("", null);
        foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var directory = root;
            foreach (var part in parts[..^1])
            {
                directory = directory.Children.FirstOrDefault(c => c.IsDirectory && c.Name == part) ?? directory.Add(new Node(part, null));
            }

            directory.Add(new Node(parts[^1], content));
        }

        AssignShortNames(root);

        // Clusters: each directory (but the root) and each file's data, one 512-byte sector per cluster.
        var next = 2;
        var order = new List<Node>();
        Allocate(root, order, ref next);
        var dataClusters = next - 2 + SlackClusters;
        var rootSectors = RootEntries * EntrySize / SectorSize;
        var fatSectors = ((dataClusters + 2) * 3 / 2 + SectorSize - 1) / SectorSize;
        var totalSectors = 1 + (2 * fatSectors) + rootSectors + dataClusters;
        if (totalSectors < MinimumSectors)
        {
            dataClusters += MinimumSectors - totalSectors;
            fatSectors = ((dataClusters + 2) * 3 / 2 + SectorSize - 1) / SectorSize;
            totalSectors = 1 + (2 * fatSectors) + rootSectors + dataClusters;
        }

        if (dataClusters >= 4085)
        {
            throw new ArgumentException("the content is too large for a FAT12 config drive", nameof(files));
        }

        var image = new byte[totalSectors * SectorSize];
        WriteBootSector(image, label, totalSectors, fatSectors, volumeId);

        // The FAT: reserved entries 0 and 1, then a chain per directory and file.
        var fat = new int[dataClusters + 2];
        fat[0] = 0xF00 | Media;
        fat[1] = 0xFFF;
        foreach (var node in order)
        {
            for (var i = 0; i < node.ClusterCount; i++)
            {
                fat[node.FirstCluster + i] = i == node.ClusterCount - 1 ? 0xFFF : node.FirstCluster + i + 1;
            }
        }

        var fatBytes = PackFat12(fat, fatSectors * SectorSize);
        fatBytes.CopyTo(image, SectorSize);
        fatBytes.CopyTo(image, SectorSize * (1 + fatSectors));

        var rootOffset = SectorSize * (1 + (2 * fatSectors));
        var dataOffset = rootOffset + (rootSectors * SectorSize);
        int ClusterOffset(int cluster) => dataOffset + ((cluster - 2) * SectorSize);

        var date = FatDate(timestamp);
        var time = FatTime(timestamp);
        var rootEntries = new List<byte[]> { VolumeEntry(label, date, time) };
        rootEntries.AddRange(root.Children.SelectMany(c => Entries(c, date, time)));
        if (rootEntries.Count > RootEntries)
        {
            throw new ArgumentException("too many entries for the root directory", nameof(files));
        }

        WriteEntries(image, rootOffset, rootEntries);
        foreach (var node in order)
        {
            if (node.IsDirectory)
            {
                var entries = new List<byte[]>
                {
                    ShortEntry(".          "u8, AttrDirectory, node.FirstCluster, 0, date, time),
                    ShortEntry("..         "u8, AttrDirectory, node.Parent!.IsRoot ? 0 : node.Parent.FirstCluster, 0, date, time),
                };
                entries.AddRange(node.Children.SelectMany(c => Entries(c, date, time)));
                WriteEntries(image, ClusterOffset(node.FirstCluster), entries);
            }
            else
            {
                node.Content!.CopyTo(image, ClusterOffset(node.FirstCluster));
            }
        }

        return image;
    }

    private static void Allocate(Node directory, List<Node> order, ref int next)
    {
        foreach (var child in directory.Children)
        {
            var bytes = child.IsDirectory ? (2 + child.Children.Sum(EntryCount)) * EntrySize : child.Content!.Length;
            child.ClusterCount = (bytes + SectorSize - 1) / SectorSize;
            child.FirstCluster = child.ClusterCount == 0 ? 0 : next;
            next += child.ClusterCount;
            if (child.ClusterCount > 0)
            {
                order.Add(child);
            }
        }

        foreach (var child in directory.Children.Where(c => c.IsDirectory))
        {
            Allocate(child, order, ref next);
        }
    }

    private static int EntryCount(Node node) => 1 + ((node.Name.Length + LongNameChars - 1) / LongNameChars);

    /// <summary>Short (8.3) names: BASE~N.EXT from the long name, unique within the directory; every name also gets long-name entries.</summary>
    private static void AssignShortNames(Node directory)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in directory.Children)
        {
            var dot = child.Name.LastIndexOf('.');
            var stem = Clean(dot > 0 ? child.Name[..dot] : child.Name);
            var extension = Clean(dot > 0 ? child.Name[(dot + 1)..] : "");
            extension = extension.Length > 3 ? extension[..3] : extension;
            for (var n = 1; ; n++)
            {
                var suffix = $"~{n}";
                var basis = stem.Length + suffix.Length > 8 ? stem[..(8 - suffix.Length)] : stem;
                var name = (basis + suffix).PadRight(8) + extension.PadRight(3);
                if (used.Add(name))
                {
                    child.ShortName = Encoding.ASCII.GetBytes(name);
                    break;
                }
            }

            if (child.IsDirectory)
            {
                AssignShortNames(child);
            }
        }
    }

    private static string Clean(string part)
    {
        var text = new StringBuilder();
        foreach (var c in part.ToUpperInvariant())
        {
            if (c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '!' or '#' or '$' or '%' or '&' or '@')
            {
                text.Append(c);
            }
        }

        return text.Length > 0 ? text.ToString() : "_";
    }

    private static IEnumerable<byte[]> Entries(Node node, ushort date, ushort time)
    {
        var shortName = node.ShortName!;
        var checksum = Checksum(shortName);
        var chars = node.Name.ToCharArray();
        var count = (chars.Length + LongNameChars - 1) / LongNameChars;

        // Long-name entries come first, last part first (sequence numbers count down, the first written has 0x40).
        for (var seq = count; seq >= 1; seq--)
        {
            var entry = new byte[EntrySize];
            entry[0] = (byte)(seq | (seq == count ? 0x40 : 0));
            entry[11] = AttrLongName;
            entry[13] = checksum;
            int[] offsets = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
            for (var i = 0; i < LongNameChars; i++)
            {
                var index = ((seq - 1) * LongNameChars) + i;
                ushort value = index < chars.Length ? chars[index] : index == chars.Length ? (ushort)0 : (ushort)0xFFFF;
                BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(offsets[i]), value);
            }

            yield return entry;
        }

        yield return ShortEntry(shortName, node.IsDirectory ? AttrDirectory : AttrArchive, node.FirstCluster, node.IsDirectory ? 0 : node.Content!.Length, date, time);
    }

    private static byte[] ShortEntry(ReadOnlySpan<byte> name, byte attributes, int cluster, int size, ushort date, ushort time)
    {
        var entry = new byte[EntrySize];
        name.CopyTo(entry);
        entry[11] = attributes;
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(14), time);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(16), date);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(18), date);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(22), time);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(24), date);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(26), (ushort)cluster);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(28), (uint)size);
        return entry;
    }

    private static byte[] VolumeEntry(string label, ushort date, ushort time) =>
        ShortEntry(Encoding.ASCII.GetBytes(label.PadRight(11)), AttrVolume, 0, 0, date, time);

    private static void WriteEntries(byte[] image, int offset, List<byte[]> entries)
    {
        foreach (var entry in entries)
        {
            entry.CopyTo(image, offset);
            offset += EntrySize;
        }
    }

    private static void WriteBootSector(byte[] image, string label, int totalSectors, int fatSectors, uint volumeId)
    {
        var boot = image.AsSpan(0, SectorSize);
        boot[0] = 0xEB;
        boot[1] = 0x3C;
        boot[2] = 0x90;
        "MSWIN4.1"u8.CopyTo(boot[3..]);
        BinaryPrimitives.WriteUInt16LittleEndian(boot[11..], SectorSize);
        boot[13] = 1; // sectors per cluster
        BinaryPrimitives.WriteUInt16LittleEndian(boot[14..], 1); // reserved sectors (the boot sector)
        boot[16] = 2; // FATs
        BinaryPrimitives.WriteUInt16LittleEndian(boot[17..], RootEntries);
        BinaryPrimitives.WriteUInt16LittleEndian(boot[19..], (ushort)totalSectors);
        boot[21] = Media;
        BinaryPrimitives.WriteUInt16LittleEndian(boot[22..], (ushort)fatSectors);
        BinaryPrimitives.WriteUInt16LittleEndian(boot[24..], 32); // sectors per track (nominal geometry)
        BinaryPrimitives.WriteUInt16LittleEndian(boot[26..], 2); // heads
        boot[36] = 0x80; // drive number
        boot[38] = 0x29; // extended boot signature: the next three fields are valid
        BinaryPrimitives.WriteUInt32LittleEndian(boot[39..], volumeId);
        Encoding.ASCII.GetBytes(label.PadRight(11)).CopyTo(boot[43..]);
        "FAT12   "u8.CopyTo(boot[54..]);
        boot[510] = 0x55;
        boot[511] = 0xAA;
    }

    private static byte[] PackFat12(int[] fat, int length)
    {
        var bytes = new byte[length];
        for (var n = 0; n < fat.Length; n++)
        {
            var offset = n * 3 / 2;
            var value = fat[n] & 0xFFF;
            if ((n & 1) == 0)
            {
                bytes[offset] = (byte)value;
                bytes[offset + 1] = (byte)((bytes[offset + 1] & 0xF0) | (value >> 8));
            }
            else
            {
                bytes[offset] = (byte)((bytes[offset] & 0x0F) | ((value & 0x0F) << 4));
                bytes[offset + 1] = (byte)(value >> 4);
            }
        }

        return bytes;
    }

    private static byte Checksum(byte[] shortName)
    {
        byte sum = 0;
        foreach (var b in shortName)
        {
            sum = (byte)(((sum & 1) << 7) + (sum >> 1) + b);
        }

        return sum;
    }

    private static ushort FatDate(DateTime t) => (ushort)(((Math.Clamp(t.Year, 1980, 2107) - 1980) << 9) | (t.Month << 5) | t.Day);

    private static ushort FatTime(DateTime t) => (ushort)((t.Hour << 11) | (t.Minute << 5) | (t.Second / 2));

    private sealed class Node(string name, byte[]? content)
    {
        public string Name { get; } = name;

        public byte[]? Content { get; } = content;

        public bool IsDirectory => Content is null;

        public bool IsRoot => Name.Length == 0;

        public Node? Parent { get; private set; }

        public List<Node> Children { get; } = [];

        public byte[]? ShortName { get; set; }

        public int FirstCluster { get; set; }

        public int ClusterCount { get; set; }

        public Node Add(Node child)
        {
            child.Parent = this;
            Children.Add(child);
            return child;
        }
    }
}
