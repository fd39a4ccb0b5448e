using System.Runtime.InteropServices;
using Stratus.Host.Storage.Files;

namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// One libnfs context with an export mounted: directory and file operations on an NFS server without a kernel mount
/// (this host's kernel may have no NFS client at all). Calls block, so callers run them off the request thread; a
/// context is not thread-safe, one call at a time. Paths are relative to the export (<c>/sr-uuid/x.qcow2</c>).
/// </summary>
internal sealed unsafe class NfsClient : IDisposable
{
    private const int Enoent = 2;
    private const int Eexist = 17;
    private nint _context;

    private NfsClient(nint context, string server, string export)
    {
        _context = context;
        Server = server;
        Export = export;
    }

    public string Server { get; }

    public string Export { get; }

    /// <summary>Largest single READ/WRITE the server negotiated (what one libnfs call moves without splitting).</summary>
    public int ReadMax => (int)Math.Clamp(LibNfs.GetReadMax(_context), 4096, 1 << 20);

    public int WriteMax => (int)Math.Clamp(LibNfs.GetWriteMax(_context), 4096, 1 << 20);

    /// <summary>
    /// Finds the server's mount and NFS ports through its portmapper (rpcbind) and mounts <paramref name="export"/>,
    /// NFSv3 over TCP, AUTH_SYS with this process's uid, RPC calls timing out after <paramref name="timeout"/>.
    /// </summary>
    public static NfsClient Mount(string server, string export, TimeSpan timeout)
    {
        nint context;
        try
        {
            context = LibNfs.InitContext();
        }
        catch (DllNotFoundException exception)
        {
            throw new NfsException($"libnfs ({LibNfs.Library}, Debian package libnfs13) is not installed: {exception.Message}", 38);
        }

        if (context == 0)
        {
            throw new NfsException("nfs_init_context failed", 12);
        }

        // libnfs takes whole seconds, in milliseconds.
        LibNfs.SetTimeout(context, (int)Math.Max(1, Math.Round(timeout.TotalSeconds)) * 1000);
        var rc = LibNfs.Mount(context, server, export);
        if (rc < 0)
        {
            var message = ErrorText(context);
            LibNfs.DestroyContext(context);
            throw new NfsException($"mount {server}:{export}: {message}", -rc);
        }

        return new NfsClient(context, server, export);
    }

    public void MakeDirectory(string path) => Check(LibNfs.MakeDirectory(Context, path), "mkdir", path);

    public void RemoveDirectory(string path) => Check(LibNfs.RemoveDirectory(Context, path), "rmdir", path);

    /// <summary>Removes a file; true if it existed.</summary>
    public bool Unlink(string path)
    {
        var rc = LibNfs.Unlink(Context, path);
        if (rc == -Enoent)
        {
            return false;
        }

        Check(rc, "unlink", path);
        return true;
    }

    public void Rename(string from, string to) => Check(LibNfs.Rename(Context, from, to), "rename", $"{from} -> {to}");

    public void Chmod(string path, int mode) => Check(LibNfs.Chmod(Context, path, mode), "chmod", path);

    /// <summary>The attributes of <paramref name="path"/>, or null when it does not exist.</summary>
    public NfsAttributes? Stat(string path)
    {
        var stat = stackalloc ulong[17];
        var rc = LibNfs.Stat64(Context, path, stat);
        if (rc == -Enoent)
        {
            return null;
        }

        Check(rc, "stat", path);
        return new NfsAttributes(Path.GetFileName(path), (int)stat[2], (long)stat[7], Used(stat[16], stat[9]));
    }

    public FileSystemSpace StatFileSystem(string path)
    {
        var vfs = stackalloc ulong[11];
        Check(LibNfs.StatVfs64(Context, path, vfs), "statvfs", path);
        var fragment = (long)vfs[1];
        return new FileSystemSpace((long)vfs[2] * fragment, (long)(vfs[2] - vfs[3]) * fragment, (long)vfs[4] * fragment);
    }

    /// <summary>The entries of a directory with their READDIRPLUS attributes ("." and ".." left out).</summary>
    public IReadOnlyList<NfsAttributes> List(string path)
    {
        Check(LibNfs.OpenDirectory(Context, path, out var directory), "opendir", path);
        var entries = new List<NfsAttributes>();
        try
        {
            nint entry;
            while ((entry = LibNfs.ReadDirectory(Context, directory)) != 0)
            {
                // struct nfsdirent (libnfs.h): name at 8, mode at 28, size at 32, blocks at 128, used at 136.
                var name = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry, 8)) ?? "";
                if (name is "." or "..")
                {
                    continue;
                }

                var mode = Marshal.ReadInt32(entry, 28);
                var size = Marshal.ReadInt64(entry, 32);
                var blocks = (ulong)Marshal.ReadInt64(entry, 128);
                var used = (ulong)Marshal.ReadInt64(entry, 136);
                entries.Add(new NfsAttributes(name, mode, size, Used(used, blocks)));
            }
        }
        finally
        {
            LibNfs.CloseDirectory(Context, directory);
        }

        return entries;
    }

    public nint Open(string path, bool writable)
    {
        Check(LibNfs.Open(Context, path, writable ? LibNfs.ReadWrite : LibNfs.ReadOnly, out var handle), "open", path);
        return handle;
    }

    /// <summary>Creates a new file (EEXIST if there is one) and opens it read-write.</summary>
    public nint Create(string path, int mode)
    {
        var rc = LibNfs.CreateFile(Context, path, LibNfs.ReadWrite | LibNfs.Create | LibNfs.Exclusive, mode, out var handle);
        if (rc == -Eexist)
        {
            throw new NfsException($"create {path}: file exists", Eexist);
        }

        Check(rc, "create", path);
        return handle;
    }

    public int Read(nint handle, long offset, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            var rc = LibNfs.Pread(Context, handle, (ulong)offset, (ulong)buffer.Length, pointer);
            Check(rc, "read", Export);
            return rc;
        }
    }

    public int Write(nint handle, long offset, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            var rc = LibNfs.Pwrite(Context, handle, (ulong)offset, (ulong)buffer.Length, pointer);
            Check(rc, "write", Export);
            return rc;
        }
    }

    public void Truncate(nint handle, long length) => Check(LibNfs.Ftruncate(Context, handle, (ulong)length), "truncate", Export);

    public void Sync(nint handle) => Check(LibNfs.Fsync(Context, handle), "fsync", Export);

    public void Close(nint handle) => Check(LibNfs.Close(Context, handle), "close", Export);

    public void Dispose()
    {
        if (_context != 0)
        {
            LibNfs.DestroyContext(_context);
            _context = 0;
        }
    }

    private nint Context => _context != 0 ? _context : throw new ObjectDisposedException(nameof(NfsClient));

    private void Check(int rc, string operation, string path)
    {
        if (rc < 0)
        {
            throw new NfsException($"nfs {operation} {path} on {Server}:{Export}: {ErrorText(_context)}", -rc);
        }
    }

    private static string ErrorText(nint context) => Marshal.PtrToStringUTF8(LibNfs.GetError(context)) ?? "unknown error";

    /// <summary>NFSv3 fattr3.used is the bytes the file occupies on the server; fall back to 512-byte blocks.</summary>
    private static long Used(ulong used, ulong blocks) => used > 0 ? (long)used : (long)blocks * 512;
}
