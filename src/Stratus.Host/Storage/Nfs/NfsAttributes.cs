namespace Stratus.Host.Storage.Nfs;

/// <summary>A file's NFS attributes as Stratus uses them: mode (type and permission bits), size, bytes used on the server.</summary>
internal readonly record struct NfsAttributes(string Name, int Mode, long Size, long Used)
{
    public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

    public bool IsDirectory => (Mode & 0xF000) == 0x4000;

    public bool OwnerWritable => (Mode & 0x80) != 0;
}
