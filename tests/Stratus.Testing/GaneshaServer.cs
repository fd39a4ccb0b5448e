using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Stratus.Testing;

/// <summary>
/// A real user-space NFS server for the NFS SR tests: nfs-ganesha with its VFS backend, bound to 127.0.0.1 on ports
/// picked free, exporting a directory of its own (a 1 GiB tmpfs when the tests run as root, so capacity numbers are
/// exact and nothing else writes there), registered with rpcbind, as QEMU's libnfs driver finds servers. Started by
/// the fixture that owns it (a collection or class fixture) and stopped (SIGTERM, so it unregisters from rpcbind) at
/// its end. Shared by the storage driver tests and the end-to-end tests, which run as separate processes.
/// <para>
/// rpcbind keeps one registration per RPC program and version on a machine, so two ganesha instances would steal each
/// other's clients: a machine-wide lock file serialises the test runs (of any test project) that need one. rpcbind
/// itself is started if it is not running and left running (it is shared and harmless).
/// </para>
/// </summary>
public sealed class GaneshaServer : Xunit.IAsyncLifetime
{
    private const string LockPath = "/tmp/stratus-tests-ganesha.lock";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Another test process (the other test project of a parallel `dotnet test`) may hold the server for minutes.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(15);

    private readonly TempDirectory _directory = new("stratus-ganesha");
    private FileStream? _machineLock;
    private Process? _process;
    private bool _tmpfs;

    /// <summary>Why the server could not start (a tool is missing); null when it runs.</summary>
    public string? Unavailable { get; private set; }

    public string Server => "127.0.0.1";

    /// <summary>The exported directory: the NFS serverpath, and the server-side view of the files for assertions.</summary>
    public string ExportPath => _directory.Combine("export");

    /// <summary>True when the export is a tmpfs of its own (exact capacity comparisons are possible).</summary>
    public bool ExportIsPrivateFileSystem => _tmpfs;

    public async ValueTask InitializeAsync()
    {
        foreach (var (tool, package) in new[] { ("ganesha.nfsd", "nfs-ganesha nfs-ganesha-vfs"), ("rpcbind", "rpcbind"), ("qemu-img", "qemu-utils"), ("nfs-ls", "libnfs-utils") })
        {
            if (TestEnvironment.FindExecutable(tool) is null)
            {
                Unavailable = $"{tool} is not installed (apt-get install {package})";
                return;
            }
        }

        string[] fsalDirectories = ["/usr/lib/x86_64-linux-gnu/ganesha", "/usr/lib/aarch64-linux-gnu/ganesha", "/usr/lib64/ganesha", "/usr/lib/ganesha"];
        if (!fsalDirectories.Any(d => File.Exists(Path.Join(d, "libfsalvfs.so"))))
        {
            Unavailable = "nfs-ganesha's VFS backend is not installed (apt-get install nfs-ganesha-vfs)";
            return;
        }

        // qemu-img's nfs:// driver is a module in qemu-block-extra, which qemu-utils only recommends.
        var probe = await RunAsync("qemu-img", ["info", "nfs://127.0.0.1/stratus-probe/none.qcow2"], CancellationToken.None);
        if (probe.StandardError.Contains("Unknown protocol", StringComparison.Ordinal))
        {
            Unavailable = "QEMU's nfs:// driver is not installed (apt-get install qemu-block-extra)";
            return;
        }

        using (var lockWait = new CancellationTokenSource(LockTimeout))
        {
            await AcquireMachineLockAsync(lockWait.Token);
        }

        using var deadline = new CancellationTokenSource(StartTimeout);
        await EnsureRpcbindAsync(deadline.Token);

        Directory.CreateDirectory(ExportPath);
        Directory.CreateDirectory(_directory.Combine("recovery"));
        _tmpfs = (await RunAsync("mount", ["-t", "tmpfs", "-o", "size=1073741824,mode=0755", "tmpfs", ExportPath], deadline.Token)).ExitCode == 0;

        var ports = FreePorts(4);
        var config = _directory.Combine("ganesha.conf");
        await File.WriteAllTextAsync(config, $$"""
            NFS_CORE_PARAM {
                Bind_addr = 127.0.0.1;
                NFS_Port = {{ports[0]}};
                MNT_Port = {{ports[1]}};
                NLM_Port = {{ports[2]}};
                Rquota_Port = {{ports[3]}};
                Enable_NLM = false;
                Enable_RQUOTA = false;
                Protocols = 3;
            }
            NFSV4 {
                Graceless = true;
                RecoveryBackend = fs;
                RecoveryRoot = "{{_directory.Combine("recovery")}}";
            }
            EXPORT {
                Export_Id = 1;
                Path = "{{ExportPath}}";
                Pseudo = "{{ExportPath}}";
                Access_Type = RW;
                Squash = No_Root_Squash;
                Protocols = 3;
                Transports = TCP;
                SecType = sys;
                FSAL { Name = VFS; }
            }
            """, deadline.Token);

        var start = new ProcessStartInfo("ganesha.nfsd")
        {
            ArgumentList = { "-F", "-f", config, "-L", LogPath, "-p", _directory.Combine("ganesha.pid"), "-N", "NIV_EVENT" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("ganesha.nfsd did not start");
        _ = _process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        _ = _process.StandardError.ReadToEndAsync(CancellationToken.None);
        await WaitUntilMountableAsync(deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // SIGTERM: ganesha unregisters from rpcbind on a clean exit; SIGKILL would leave stale registrations.
            await RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        _process?.Dispose();
        if (_tmpfs)
        {
            await RunAsync("umount", ["-l", ExportPath], CancellationToken.None);
        }

        _directory.Dispose();
        if (_machineLock is not null)
        {
            await _machineLock.DisposeAsync();
        }
    }

    private string LogPath => _directory.Combine("ganesha.log");

    private async Task AcquireMachineLockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // .NET takes an flock(LOCK_EX) for FileShare.None on Unix; it is released when this process exits.
                _machineLock = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"another test process held {LockPath} (its ganesha server) for more than {LockTimeout.TotalMinutes} minutes");
                }
            }
        }
    }

    private static async Task EnsureRpcbindAsync(CancellationToken cancellationToken)
    {
        if (await AnswersAsync(111, cancellationToken))
        {
            return;
        }

        // rpcbind daemonises itself; it is left running for everyone.
        var started = await RunAsync("rpcbind", ["-w"], cancellationToken);
        if (started.ExitCode != 0)
        {
            throw new InvalidOperationException($"rpcbind -w failed ({started.ExitCode}): {started.StandardError}");
        }

        while (!await AnswersAsync(111, cancellationToken))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Until a real NFS client (libnfs's nfs-ls: MOUNT, then READDIRPLUS) can list the export.</summary>
    private async Task WaitUntilMountableAsync(CancellationToken cancellationToken)
    {
        var last = "";
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"ganesha.nfsd exited with {_process.ExitCode}: {Tail(LogPath)}");
            }

            try
            {
                var listing = await RunAsync("nfs-ls", [$"nfs://{Server}{ExportPath}"], cancellationToken);
                if (listing.ExitCode == 0)
                {
                    return;
                }

                last = listing.StandardError.Trim();
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"ganesha did not become mountable within {StartTimeout.TotalSeconds} s ({last}): {Tail(LogPath)}");
            }
        }
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Ports the kernel hands out as free, all held at once so that they differ, then released for ganesha.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        return ports;
    }

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(15)) : "(no log)";
}
