using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Stratus.Host.Storage.Files;

namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// One libnfs context with an export mounted: directory and file operations on an NFS server without a kernel mount
/// (this host's kernel may have no NFS client at all). Each call queues one asynchronous libnfs request and runs the
/// context's event loop (poll + nfs_service) on the calling thread until the reply, retrying a poll() that a signal
/// interrupted. Calls block, so callers run them off the request thread; one call at a time. Paths are relative to the
/// export (<c>/sr-uuid/x.qcow2</c>).
/// </summary>
internal sealed unsafe class NfsClient : IDisposable
{
    private const int Enoent = 2;
    private const int Eintr = 4;
    private const int Eio = 5;
    private const int Etimedout = 110;
    private static readonly nint ReplyCallback = (nint)(delegate* unmanaged[Cdecl]<int, nint, nint, nint, void>)&OnReply;
    private readonly TimeSpan _timeout;
    private nint _context;

    private NfsClient(nint context, string server, string export, TimeSpan timeout)
    {
        _context = context;
        Server = server;
        Export = export;
        _timeout = timeout;
    }

    public string Server { get; }

    public string Export { get; }

    /// <summary>A request was abandoned or the transport failed: the context must not be reused.</summary>
    public bool Broken { get; private set; }

    /// <summary>Largest single READ/WRITE the server negotiated (what one request moves).</summary>
    public int ReadMax => (int)Math.Clamp(LibNfs.GetReadMax(Context), 4096, 1 << 20);

    public int WriteMax => (int)Math.Clamp(LibNfs.GetWriteMax(Context), 4096, 1 << 20);

    /// <summary>
    /// Finds the server's mount and NFS ports through its portmapper (rpcbind) and mounts <paramref name="export"/>,
    /// NFSv3 over TCP, AUTH_SYS with this process's uid, each request timing out after <paramref name="timeout"/>.
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
        var client = new NfsClient(context, server, export, timeout);
        try
        {
            client.Check(client.Invoke((nfs, callback, state) => LibNfs.MountAsync(nfs, server, export, callback, state)), "mount", $"{server}:{export}");
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void MakeDirectory(string path) =>
        Check(Invoke((nfs, callback, state) => LibNfs.MakeDirectoryAsync(nfs, path, callback, state)), "mkdir", path);

    public void RemoveDirectory(string path) =>
        Check(Invoke((nfs, callback, state) => LibNfs.RemoveDirectoryAsync(nfs, path, callback, state)), "rmdir", path);

    /// <summary>Removes a file; true if it existed.</summary>
    public bool Unlink(string path)
    {
        var status = Invoke((nfs, callback, state) => LibNfs.UnlinkAsync(nfs, path, callback, state));
        if (status.Code == -Enoent)
        {
            return false;
        }

        Check(status, "unlink", path);
        return true;
    }

    public void Rename(string from, string to) =>
        Check(Invoke((nfs, callback, state) => LibNfs.RenameAsync(nfs, from, to, callback, state)), "rename", $"{from} -> {to}");

    public void Chmod(string path, int mode) =>
        Check(Invoke((nfs, callback, state) => LibNfs.ChmodAsync(nfs, path, mode, callback, state)), "chmod", path);

    /// <summary>The attributes of <paramref name="path"/>, or null when it does not exist.</summary>
    public NfsAttributes? Stat(string path)
    {
        var stat = new ulong[17];
        var status = Invoke(
            (nfs, callback, state) => LibNfs.Stat64Async(nfs, path, callback, state),
            (_, data) => new ReadOnlySpan<ulong>((void*)data, 17).CopyTo(stat));
        if (status.Code == -Enoent)
        {
            return null;
        }

        Check(status, "stat", path);
        return new NfsAttributes(Path.GetFileName(path), (int)stat[2], (long)stat[7], Used(stat[16], stat[9]));
    }

    public FileSystemSpace StatFileSystem(string path)
    {
        var vfs = new ulong[11];
        Check(Invoke(
            (nfs, callback, state) => LibNfs.StatVfs64Async(nfs, path, callback, state),
            (_, data) => new ReadOnlySpan<ulong>((void*)data, 11).CopyTo(vfs)), "statvfs", path);
        var fragment = (long)vfs[1];
        return new FileSystemSpace((long)vfs[2] * fragment, (long)(vfs[2] - vfs[3]) * fragment, (long)vfs[4] * fragment);
    }

    /// <summary>The entries of a directory with their READDIRPLUS attributes ("." and ".." left out).</summary>
    public IReadOnlyList<NfsAttributes> List(string path)
    {
        nint directory = 0;
        Check(Invoke((nfs, callback, state) => LibNfs.OpenDirectoryAsync(nfs, path, callback, state), (_, data) => directory = data), "opendir", path);
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
        nint handle = 0;
        var flags = writable ? LibNfs.ReadWrite : LibNfs.ReadOnly;
        Check(Invoke((nfs, callback, state) => LibNfs.OpenAsync(nfs, path, flags, callback, state), (_, data) => handle = data), "open", path);
        return handle;
    }

    /// <summary>Creates a new file (EEXIST if there is one) and opens it read-write.</summary>
    public nint Create(string path, int mode)
    {
        nint handle = 0;
        const int flags = LibNfs.ReadWrite | LibNfs.Create | LibNfs.Exclusive;
        Check(Invoke((nfs, callback, state) => LibNfs.CreateAsync(nfs, path, flags, mode, callback, state), (_, data) => handle = data), "create", path);
        return handle;
    }

    public int Read(nint handle, long offset, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            var target = (nint)pointer;
            var capacity = buffer.Length;
            var status = Invoke(
                (nfs, callback, state) => LibNfs.PreadAsync(nfs, handle, (ulong)offset, (ulong)capacity, callback, state),
                (count, data) => Buffer.MemoryCopy((void*)data, (void*)target, capacity, Math.Min(count, capacity)));
            Check(status, "read", Export);
            return Math.Min(status.Code, capacity);
        }
    }

    public int Write(nint handle, long offset, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            var source = (nint)pointer;
            var count = (ulong)buffer.Length;
            var status = Invoke((nfs, callback, state) => LibNfs.PwriteAsync(nfs, handle, (ulong)offset, count, (byte*)source, callback, state));
            Check(status, "write", Export);
            return status.Code;
        }
    }

    public void Truncate(nint handle, long length) =>
        Check(Invoke((nfs, callback, state) => LibNfs.FtruncateAsync(nfs, handle, (ulong)length, callback, state)), "truncate", Export);

    public void Sync(nint handle) =>
        Check(Invoke((nfs, callback, state) => LibNfs.FsyncAsync(nfs, handle, callback, state)), "fsync", Export);

    public void Close(nint handle) =>
        Check(Invoke((nfs, callback, state) => LibNfs.CloseAsync(nfs, handle, callback, state)), "close", Export);

    public void Dispose()
    {
        if (_context != 0)
        {
            LibNfs.DestroyContext(_context);
            _context = 0;
        }
    }

    private nint Context => _context != 0 ? _context : throw new ObjectDisposedException(nameof(NfsClient));

    /// <summary>
    /// Queues one request and services the context until its callback has run. <paramref name="onSuccess"/> runs
    /// inside the callback, where the reply's data is still valid.
    /// </summary>
    private Reply Invoke(Func<nint, nint, nint, int> start, Action<int, nint>? onSuccess = null)
    {
        var context = Context;
        if (Broken)
        {
            return new Reply(-Eio, "the NFS context was retired after an earlier failure");
        }

        var pending = new Pending(onSuccess);
        var handle = GCHandle.Alloc(pending);
        var settled = false;
        try
        {
            if (start(context, ReplyCallback, GCHandle.ToIntPtr(handle)) < 0)
            {
                // Not queued: the callback will never run.
                settled = true;
                return new Reply(-Eio, ErrorText(context));
            }

            var started = Stopwatch.GetTimestamp();
            var limit = _timeout + TimeSpan.FromSeconds(5);
            while (!pending.Finished)
            {
                var poll = new LibNfs.PollFd { Fd = LibNfs.GetFd(context), Events = (short)LibNfs.WhichEvents(context) };
                if (LibNfs.Poll(&poll, 1, 100) < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Eintr)
                    {
                        continue;
                    }

                    Broken = true;
                    return new Reply(-errno, $"poll: {Marshal.GetPInvokeErrorMessage(errno)}");
                }

                if (LibNfs.Service(context, poll.ReturnedEvents) < 0 && !pending.Finished)
                {
                    Broken = true;
                    return new Reply(-Eio, ErrorText(context));
                }

                if (!pending.Finished && Stopwatch.GetElapsedTime(started) > limit)
                {
                    Broken = true;
                    return new Reply(-Etimedout, $"no reply within {limit.TotalSeconds:0} s");
                }
            }

            settled = true;
            return pending.Failure is { } failure ? throw failure : new Reply(pending.Status, pending.Error);
        }
        finally
        {
            // A request still in flight may yet call back (even from nfs_destroy_context): its handle must outlive it.
            if (settled)
            {
                handle.Free();
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnReply(int status, nint nfs, nint data, nint state)
    {
        var pending = (Pending)GCHandle.FromIntPtr(state).Target!;
        try
        {
            pending.Status = status;
            if (status < 0)
            {
                pending.Error = data == 0 ? null : Marshal.PtrToStringUTF8(data);
            }
            else
            {
                pending.OnSuccess?.Invoke(status, data);
            }
        }
        catch (Exception exception)
        {
            pending.Failure = exception;
        }
        finally
        {
            pending.Finished = true;
        }
    }

    private void Check(Reply reply, string operation, string path)
    {
        if (reply.Code < 0)
        {
            var text = reply.Error ?? (_context != 0 ? ErrorText(_context) : "failed");
            throw new NfsException($"nfs {operation} {path} on {Server}:{Export}: {text}", -reply.Code);
        }
    }

    private static string ErrorText(nint context) => Marshal.PtrToStringUTF8(LibNfs.GetError(context)) ?? "unknown error";

    /// <summary>NFSv3 fattr3.used is the bytes the file occupies on the server; fall back to 512-byte blocks.</summary>
    private static long Used(ulong used, ulong blocks) => used > 0 ? (long)used : (long)blocks * 512;

    private readonly record struct Reply(int Code, string? Error);

    private sealed class Pending(Action<int, nint>? onSuccess)
    {
        public Action<int, nint>? OnSuccess { get; } = onSuccess;

        public bool Finished { get; set; }

        public int Status { get; set; }

        public string? Error { get; set; }

        public Exception? Failure { get; set; }
    }
}
