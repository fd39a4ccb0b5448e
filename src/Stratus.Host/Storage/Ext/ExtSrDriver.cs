using Stratus.Host.Storage.Files;
using Stratus.Host.Storage.Images;

namespace Stratus.Host.Storage.Ext;

/// <summary>
/// The <c>ext</c> SR: a local directory of qcow2 files. Where xapi formats a block device (device-config:device) with
/// ext3, Stratus takes a directory: device-config:path, or <c>&lt;data dir&gt;/sr/&lt;sr-uuid&gt;</c> by default. A
/// path in the PBD's device_config is also what nova reads as the SR's file-system path (vm_utils.get_sr_path).
/// VDI behaviour (thin qcow2, copy-on-write clones, SR_FULL rule, imports) is <see cref="QcowSr"/>'s.
/// </summary>
internal sealed class ExtSrDriver(QemuImg qemuImg, ILogger<ExtSrDriver> logger) : QcowSrDriver, ISrDriver
{
    private readonly KeyedLock _locks = new();

    public string Type => "ext";

    public IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["path"] = "absolute path of the directory that holds the SR's qcow2 files (optional; default <data dir>/sr/<sr-uuid>)",
    };

    public async Task<SrCapacity> CreateAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(sr);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw SmError.SrExists.Failure($"{directory} is not empty; SR.introduce and PBD.plug adopt an existing directory");
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw SmError.FileSrCreate.Failure($"{directory}: {exception.Message}");
        }

        var volumes = Volumes(sr);
        await volumes.CheckWritableAsync(cancellationToken);
        return await volumes.GetCapacityAsync(cancellationToken);
    }

    public async Task<SrCapacity> AttachAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(sr);
        if (!Directory.Exists(directory))
        {
            throw SmError.SrUnavailable.Failure($"directory {directory} does not exist");
        }

        var volumes = Volumes(sr);
        await volumes.CheckWritableAsync(cancellationToken);
        return await volumes.GetCapacityAsync(cancellationToken);
    }

    /// <summary>Nothing to undo: a local directory needs no mount.</summary>
    public Task DetachAsync(SrContext sr, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Removes the directory, never recursively: a foreign file in it stops the destroy (SR_BACKEND_FAILURE_62).</summary>
    public async Task DestroyAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(sr);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var foreign = await Volumes(sr).ClearForDestroyAsync(cancellationToken);
        try
        {
            Directory.Delete(directory, recursive: false);
        }
        catch (IOException exception)
        {
            throw SmError.FileSrRmDir.Failure($"{directory}: {exception.Message} ({string.Join(", ", foreign.Take(5))})");
        }
    }

    /// <summary>The SR directory: device-config:path (absolute) or the default under the agent's data directory.</summary>
    public static string DirectoryOf(SrContext sr)
    {
        if (sr.DeviceConfig.TryGetValue("path", out var path) && !string.IsNullOrWhiteSpace(path))
        {
            return Path.IsPathRooted(path)
                ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))
                : throw SmError.FileSrCreate.Failure($"device-config:path must be an absolute path, not '{path}'");
        }

        if (sr.DeviceConfig.TryGetValue("device", out var device) && !string.IsNullOrWhiteSpace(device))
        {
            throw SmError.FileSrCreate.Failure($"a Stratus ext SR is a directory: give device-config:path instead of device-config:device ({device}); for a block device use type=lvm");
        }

        return Path.Join(Path.GetFullPath(sr.DataDirectory), "sr", sr.Uuid);
    }

    protected override QcowSr Volumes(SrContext sr) => new(new LocalFileStore(DirectoryOf(sr)), qemuImg, sr.Uuid, _locks, logger);
}
