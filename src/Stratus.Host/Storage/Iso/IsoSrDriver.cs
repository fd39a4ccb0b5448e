using Stratus.Host.Storage.Files;
using Stratus.Host.Storage.Images;
using Stratus.XenApi;

namespace Stratus.Host.Storage.Iso;

/// <summary>
/// The <c>iso</c> SR (content_type iso): a local directory of <c>.iso</c> (and <c>.img</c>) files, one read-only VDI
/// per file after SR.scan, its location the file name, as xapi's ISOSR reports it. device-config:location names the
/// directory; xapi's NFS and CIFS forms (<c>host:/path</c>, <c>//server/share</c>) are not supported. The SR never
/// changes the files: every VDI operation other than reading is SR_OPERATION_NOT_SUPPORTED.
/// </summary>
internal sealed class IsoSrDriver : ISrDriver
{
    public string Type => "iso";

    public IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["location"] = "absolute path of a local directory of .iso files (required)",
    };

    public Task<SrCapacity> CreateAsync(SrContext sr, CancellationToken cancellationToken) => AttachAsync(sr, cancellationToken);

    public Task<SrCapacity> AttachAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(sr);
        if (!Directory.Exists(directory))
        {
            throw SmError.IsoLocalPath.Failure($"{directory} is not a directory");
        }

        return GetCapacityAsync(sr, cancellationToken);
    }

    public Task DetachAsync(SrContext sr, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The directory and its ISOs belong to whoever put them there; destroying the SR forgets them.</summary>
    public Task DestroyAsync(SrContext sr, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<SrCapacity> GetCapacityAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var space = Posix.StatFileSystem(DirectoryOf(sr));
        return Task.FromResult(new SrCapacity(space.Size, space.Used));
    }

    public Task<IReadOnlyList<VdiInfo>> ScanAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(sr);
        if (!Directory.Exists(directory))
        {
            throw SmError.SrScan.Failure($"{directory} is not a directory");
        }

        var images = new List<VdiInfo>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (IsImageName(name) && Posix.Stat(path) is { IsRegularFile: true } status)
            {
                images.Add(new VdiInfo(name, status.Length, status.Allocated, ReadOnly: true));
            }
        }

        return Task.FromResult<IReadOnlyList<VdiInfo>>([.. images.OrderBy(i => i.Location, StringComparer.Ordinal)]);
    }

    public Task<VdiInfo> CreateVdiAsync(SrContext sr, string vdiUuid, long virtualSize, CancellationToken cancellationToken) => throw NotSupported(sr);

    public Task DestroyVdiAsync(SrContext sr, string location, CancellationToken cancellationToken) => throw NotSupported(sr);

    public Task<VdiInfo> ResizeVdiAsync(SrContext sr, string location, long newSize, CancellationToken cancellationToken) => throw NotSupported(sr);

    public Task<VdiInfo> CloneVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) => throw NotSupported(sr);

    public Task<VdiInfo> SnapshotVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) => throw NotSupported(sr);

    public Task ImportAsync(SrContext sr, string location, Stream source, ImageFormat format, IProgress<long>? progress, CancellationToken cancellationToken) =>
        throw NotSupported(sr);

    /// <summary>An ISO is exported as it is (raw); converting it to a disk format makes no sense.</summary>
    public async Task ExportAsync(SrContext sr, string location, Stream target, ImageFormat format, CancellationToken cancellationToken)
    {
        if (format != ImageFormat.Raw)
        {
            throw new XenApiFailure(XenErrors.VdiIncompatibleType, location, "iso images are exported raw");
        }

        await using var image = new FileStream(PathOf(sr, location), FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        await ImageCopy.CopyOutAsync(image, target, count: null, cancellationToken);
    }

    public DiskLocator Locate(SrContext sr, string location) => new(PathOf(sr, location), "raw");

    private static string PathOf(SrContext sr, string location)
    {
        var path = Path.Join(DirectoryOf(sr), location);
        return IsImageName(location) && !location.Contains('/') && File.Exists(path)
            ? path
            : throw new XenApiFailure(XenErrors.VdiMissing, sr.Uuid, location);
    }

    private static bool IsImageName(string name) =>
        name.Length > 4 && name[0] != '.' && !name.Contains('/')
        && (name.EndsWith(".iso", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".img", StringComparison.OrdinalIgnoreCase));

    private static string DirectoryOf(SrContext sr)
    {
        if (!sr.DeviceConfig.TryGetValue("location", out var location) || string.IsNullOrWhiteSpace(location))
        {
            throw SmError.ConfigLocationMissing.Failure();
        }

        return Path.IsPathRooted(location)
            ? Path.GetFullPath(location)
            : throw SmError.IsoLocalPath.Failure($"'{location}' is not an absolute local path (NFS and CIFS ISO libraries are not supported)");
    }

    private static XenApiFailure NotSupported(SrContext sr) => new(XenErrors.SrOperationNotSupported, sr.Uuid);
}
