namespace Stratus.Host.Storage.Files;

/// <summary>What statx says about a file: mode bits (type and permissions), apparent size, bytes allocated on disk.</summary>
internal readonly record struct FileStatus(int Mode, long Length, long Allocated)
{
    private const int TypeMask = 0xF000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsBlockDevice => (Mode & TypeMask) == 0x6000;

    /// <summary>The owner may write it (Stratus keeps read-only VDIs, snapshots and base copies, at mode 0444).</summary>
    public bool OwnerWritable => (Mode & 0x80) != 0;
}
