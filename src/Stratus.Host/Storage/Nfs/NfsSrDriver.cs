using System.Net.Sockets;
using Stratus.Host.Storage.Files;
using Stratus.Host.Storage.Images;

namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// The <c>nfs</c> SR, configured as xapi's NFSSR.py: device-config <c>server</c>, <c>serverpath</c> and optional
/// <c>nfsversion</c>; the SR lives in <c>serverpath/&lt;sr-uuid&gt;</c> (or serverpath itself with sm-config
/// nosubdir=true), and errors carry the SM codes NFSSR raises (101 ConfigServerPathMissing, 102 ConfigServerMissing,
/// 108 NFSTarget, 73 NFSMount, 88 NFSCreate, 72 NFSVersion).
/// <para>
/// Unlike xapi there is no kernel mount: the agent reaches the export through libnfs and QEMU opens the disks as
/// nfs:// URLs with its libnfs driver, so the SR works on hosts whose kernel has no NFS client, and PBD.unplug has no
/// mount to undo. Both speak NFSv3 over TCP and find the server's ports through its portmapper (rpcbind), which is
/// why NFSTarget means "no portmapper answers on port 111" here rather than xapi's probe of port 2049.
/// </para>
/// </summary>
internal sealed class NfsSrDriver(QemuImg qemuImg, ILogger<NfsSrDriver> logger, TimeProvider timeProvider) : QcowSrDriver, ISrDriver, IDisposable
{
    private const int PortmapperPort = 111;
    private static readonly TimeSpan RpcTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private readonly KeyedLock _locks = new();
    private readonly NfsClientPool _pool = new(timeProvider);

    public string Type => "nfs";

    public IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["server"] = "hostname or IP address of NFS server (required)",
        ["serverpath"] = "path on remote server (required)",
        ["nfsversion"] = "NFS version to use: 3 (the only version QEMU's nfs:// driver speaks; optional)",
    };

    public async Task<SrCapacity> CreateAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var target = Target.From(sr);
        await CheckTargetAsync(target.Server, cancellationToken);
        var client = await NfsFileStore.MountAsync(target.Server, target.ServerPath, RpcTimeout, cancellationToken);
        try
        {
            if (target.Subdirectory.Length > 0)
            {
                await Task.Run(() => CreateSubdirectory(client, "/" + target.Subdirectory), cancellationToken);
            }
        }
        finally
        {
            client.Dispose();
        }

        var volumes = Volumes(sr, target);
        await volumes.CheckWritableAsync(cancellationToken);
        return await volumes.GetCapacityAsync(cancellationToken);
    }

    public async Task<SrCapacity> AttachAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var target = Target.From(sr);
        await CheckTargetAsync(target.Server, cancellationToken);
        var client = await NfsFileStore.MountAsync(target.Server, target.ServerPath, RpcTimeout, cancellationToken);
        try
        {
            var directory = "/" + target.Subdirectory;
            var attributes = await Task.Run(() => client.Stat(directory), cancellationToken);
            if (attributes is not { IsDirectory: true })
            {
                throw SmError.NfsMount.Failure($"{target.Server}:{target.ServerPath}{directory.TrimEnd('/')} does not exist on the export");
            }
        }
        finally
        {
            client.Dispose();
        }

        var volumes = Volumes(sr, target);
        await volumes.CheckWritableAsync(cancellationToken);
        return await volumes.GetCapacityAsync(cancellationToken);
    }

    /// <summary>Nothing to unmount: every operation mounts in user space for its own duration.</summary>
    public Task DetachAsync(SrContext sr, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task DestroyAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var target = Target.From(sr);
        var client = await NfsFileStore.MountAsync(target.Server, target.ServerPath, RpcTimeout, cancellationToken);
        try
        {
            var directory = "/" + target.Subdirectory;
            if (await Task.Run(() => client.Stat(directory), cancellationToken) is not { IsDirectory: true })
            {
                return;
            }

            var foreign = await Volumes(sr, target).ClearForDestroyAsync(cancellationToken);
            if (target.Subdirectory.Length == 0)
            {
                // nosubdir: the SR is the export's root, which is not ours to remove.
                return;
            }

            try
            {
                await Task.Run(() => client.RemoveDirectory(directory), cancellationToken);
            }
            catch (NfsException exception)
            {
                throw SmError.FileSrRmDir.Failure($"{exception.Message} ({string.Join(", ", foreign.Take(5))})");
            }
        }
        finally
        {
            client.Dispose();
        }
    }

    public void Dispose() => _pool.Dispose();

    /// <summary>xapi's NFSSR.create: an existing, non-empty SR directory is SRExists; any other failure is NFSCreate.</summary>
    private static void CreateSubdirectory(NfsClient client, string directory)
    {
        var existing = client.Stat(directory);
        if (existing is { IsDirectory: true })
        {
            if (client.List(directory).Count > 0)
            {
                throw SmError.SrExists.Failure($"{client.Server}:{client.Export}{directory} exists and is not empty");
            }

            return;
        }

        try
        {
            client.MakeDirectory(directory);
        }
        catch (NfsException exception) when (exception.Errno == 30)
        {
            throw SmError.SharedFileSystemNoWrite.Failure($"remote filesystem is read-only: {exception.Message}");
        }
        catch (NfsException exception)
        {
            throw SmError.NfsCreate.Failure($"remote directory creation error is {exception.Errno}: {exception.Message}");
        }
    }

    /// <summary>NFSTarget (108): the server must answer on its portmapper port, which libnfs and QEMU ask for the NFS ports.</summary>
    private static async Task CheckTargetAsync(string server, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(server, PortmapperPort, timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = exception is OperationCanceledException ? $"no answer within {ConnectTimeout.TotalSeconds:0} s" : exception.Message;
            throw SmError.NfsTarget.Failure($"{server}:{PortmapperPort} (portmapper): {reason}");
        }
    }

    protected override QcowSr Volumes(SrContext sr) => Volumes(sr, Target.From(sr));

    private QcowSr Volumes(SrContext sr, Target target)
    {
        var store = new NfsFileStore(target.Server, target.ServerPath, target.Subdirectory, RpcTimeout, _pool);
        return new QcowSr(store, qemuImg, sr.Uuid, _locks, logger);
    }

    /// <summary>The device_config of an NFS SR, checked.</summary>
    private sealed record Target(string Server, string ServerPath, string Subdirectory)
    {
        public static Target From(SrContext sr)
        {
            if (!sr.DeviceConfig.TryGetValue("server", out var server) || string.IsNullOrWhiteSpace(server))
            {
                throw SmError.ConfigServerMissing.Failure();
            }

            if (!sr.DeviceConfig.TryGetValue("serverpath", out var serverPath) || string.IsNullOrWhiteSpace(serverPath))
            {
                throw SmError.ConfigServerPathMissing.Failure();
            }

            server = server.Trim();
            if (server.Any(c => char.IsWhiteSpace(c) || c is '/' or '?' or '#' or '@'))
            {
                throw SmError.NfsTarget.Failure($"'{server}' is not a host name or IP address");
            }

            if (!serverPath.StartsWith('/') || serverPath.Contains("/../", StringComparison.Ordinal) || serverPath.EndsWith("/..", StringComparison.Ordinal)
                || serverPath.Any(c => char.IsControl(c) || c is '?' or '#'))
            {
                throw SmError.ConfigServerPathMissing.Failure($"serverpath must be an absolute path on the server, not '{serverPath}'");
            }

            if (sr.DeviceConfig.TryGetValue("nfsversion", out var version) && !string.IsNullOrWhiteSpace(version) && version.Trim() != "3")
            {
                throw SmError.NfsVersion.Failure($"nfsversion {version} is not supported: QEMU's nfs:// driver (libnfs) speaks NFSv3");
            }

            var path = serverPath.Length > 1 ? serverPath.TrimEnd('/') : serverPath;
            var noSubdirectory = sr.SmConfig.TryGetValue("nosubdir", out var flag) && flag == "true";
            return new Target(server, path, noSubdirectory ? "" : sr.Uuid);
        }
    }
}
