using System.Collections.Concurrent;
using System.Text.Json;
using Stratus.XenApi;

namespace Stratus.Host.Storage.Sim;

/// <summary>
/// The sim backend's storage manager for one SR type: no disks, but true bookkeeping. Each SR keeps a small ledger
/// file (its size and the VDIs in it) under the data directory, so capacity, SR_FULL and SR.scan behave as on real
/// storage and survive restarts. device_config is checked as the real driver checks it. Plain VDIs are thick
/// (their virtual size counts against the SR); clones and snapshots start empty, as copy-on-write children do.
/// </summary>
internal sealed class SimSrDriver(string type, long defaultSize) : ISrDriver
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string Type { get; } = type;

    public IReadOnlyDictionary<string, string> Configuration => Type switch
    {
        "nfs" => new Dictionary<string, string> { ["server"] = "NFS server name or address", ["serverpath"] = "path on the server", ["nfsversion"] = "3, 4 or 4.1 (optional)" },
        "lvm" => new Dictionary<string, string> { ["device"] = "block device for the volume group" },
        "iso" => new Dictionary<string, string> { ["location"] = "directory of .iso files" },
        _ => new Dictionary<string, string> { ["path"] = "directory for the VDIs (optional)" },
    };

    public async Task<SrCapacity> CreateAsync(SrContext sr, CancellationToken cancellationToken)
    {
        CheckConfig(sr);
        return await WithLedgerAsync(sr, create: true, ledger =>
        {
            ledger.Size = sr.RequestedSize > 0 ? sr.RequestedSize : defaultSize;
            return Capacity(ledger);
        }, cancellationToken);
    }

    public Task<SrCapacity> AttachAsync(SrContext sr, CancellationToken cancellationToken)
    {
        CheckConfig(sr);
        return WithLedgerAsync(sr, create: false, Capacity, cancellationToken);
    }

    public Task DetachAsync(SrContext sr, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DestroyAsync(SrContext sr, CancellationToken cancellationToken)
    {
        File.Delete(LedgerPath(sr));
        return Task.CompletedTask;
    }

    public Task<SrCapacity> GetCapacityAsync(SrContext sr, CancellationToken cancellationToken) =>
        WithLedgerAsync(sr, create: false, Capacity, cancellationToken);

    public Task<IReadOnlyList<VdiInfo>> ScanAsync(SrContext sr, CancellationToken cancellationToken) =>
        WithLedgerAsync(sr, create: false, ledger => (IReadOnlyList<VdiInfo>)ledger.Vdis.Values.Select(v => v.ToInfo()).ToList(), cancellationToken);

    public Task<VdiInfo> CreateVdiAsync(SrContext sr, string vdiUuid, long virtualSize, CancellationToken cancellationToken) =>
        WithLedgerAsync(sr, create: false, ledger =>
        {
            var free = ledger.Size - ledger.Vdis.Values.Sum(v => v.Used);
            if (virtualSize > free)
            {
                throw new XenApiFailure(XenErrors.SrFull, virtualSize.ToString(System.Globalization.CultureInfo.InvariantCulture), free.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var entry = new LedgerVdi { Location = vdiUuid, VirtualSize = virtualSize, Used = virtualSize };
            ledger.Vdis[vdiUuid] = entry;
            return entry.ToInfo();
        }, cancellationToken);

    public Task DestroyVdiAsync(SrContext sr, string location, CancellationToken cancellationToken) =>
        WithLedgerAsync(sr, create: false, ledger => ledger.Vdis.Remove(location), cancellationToken);

    public Task<VdiInfo> ResizeVdiAsync(SrContext sr, string location, long newSize, CancellationToken cancellationToken) =>
        WithLedgerAsync(sr, create: false, ledger =>
        {
            var entry = Find(ledger, location);
            var growth = newSize - entry.VirtualSize;
            var free = ledger.Size - ledger.Vdis.Values.Sum(v => v.Used);
            if (growth > free)
            {
                throw new XenApiFailure(XenErrors.SrFull, newSize.ToString(System.Globalization.CultureInfo.InvariantCulture), (entry.VirtualSize + free).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            entry.Used += Math.Max(0, growth);
            entry.VirtualSize = newSize;
            return entry.ToInfo();
        }, cancellationToken);

    public Task<VdiInfo> CloneVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) =>
        Derive(sr, location, newUuid, readOnly: false, cancellationToken);

    public Task<VdiInfo> SnapshotVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) =>
        Derive(sr, location, newUuid, readOnly: true, cancellationToken);

    /// <summary>Reads the whole image (the sim keeps no data) and checks it is complete.</summary>
    public async Task ImportAsync(SrContext sr, string location, Stream source, ImageFormat format, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            progress?.Report(total);
        }

        await WithLedgerAsync(sr, create: false, ledger =>
        {
            var entry = Find(ledger, location);
            if (format == ImageFormat.Raw && total > entry.VirtualSize)
            {
                throw SmError.VdiSize.Failure($"the raw image has {total} bytes, the VDI {entry.VirtualSize}");
            }

            entry.Imported = total;
            return true;
        }, cancellationToken);
    }

    /// <summary>The sim keeps no data: exports are zeros of the VDI's virtual size.</summary>
    public async Task ExportAsync(SrContext sr, string location, Stream target, ImageFormat format, CancellationToken cancellationToken)
    {
        var size = await WithLedgerAsync(sr, create: false, ledger => Find(ledger, location).VirtualSize, cancellationToken);
        var zeros = new byte[81920];
        for (long done = 0; done < size;)
        {
            var chunk = (int)Math.Min(zeros.Length, size - done);
            await target.WriteAsync(zeros.AsMemory(0, chunk), cancellationToken);
            done += chunk;
        }
    }

    public DiskLocator Locate(SrContext sr, string location) => new($"sim://{sr.Uuid}/{location}", "raw");

    private Task<VdiInfo> Derive(SrContext sr, string location, string newUuid, bool readOnly, CancellationToken cancellationToken) =>
        WithLedgerAsync(sr, create: false, ledger =>
        {
            var parent = Find(ledger, location);
            var entry = new LedgerVdi { Location = newUuid, VirtualSize = parent.VirtualSize, Used = 0, Parent = location, ReadOnly = readOnly };
            ledger.Vdis[newUuid] = entry;
            return entry.ToInfo();
        }, cancellationToken);

    private void CheckConfig(SrContext sr)
    {
        string Get(string key) => sr.DeviceConfig.GetValueOrDefault(key) ?? "";
        switch (Type)
        {
            case "nfs" when Get("server").Length == 0:
                throw SmError.ConfigServerMissing.Failure();
            case "nfs" when Get("serverpath").Length == 0:
                throw SmError.ConfigServerPathMissing.Failure();
            case "lvm" when Get("device").Length == 0:
                throw SmError.ConfigDeviceMissing.Failure();
            case "iso" when Get("location").Length == 0:
                throw SmError.ConfigLocationMissing.Failure();
        }
    }

    private static LedgerVdi Find(Ledger ledger, string location) =>
        ledger.Vdis.TryGetValue(location, out var entry) ? entry : throw SmError.VdiUnavailable.Failure($"no VDI at {location}");

    private static SrCapacity Capacity(Ledger ledger) => new(ledger.Size, ledger.Vdis.Values.Sum(v => v.Used));

    private static string LedgerPath(SrContext sr) => Path.Combine(sr.DataDirectory, "sim-sr", sr.Uuid + ".json");

    private static async Task<T> WithLedgerAsync<T>(SrContext sr, bool create, Func<Ledger, T> body, CancellationToken cancellationToken)
    {
        var gate = Locks.GetOrAdd(sr.Uuid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var path = LedgerPath(sr);
            Ledger ledger;
            if (File.Exists(path))
            {
                await using var input = File.OpenRead(path);
                ledger = await JsonSerializer.DeserializeAsync<Ledger>(input, Json, cancellationToken) ?? new Ledger();
            }
            else if (create)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                ledger = new Ledger();
            }
            else
            {
                throw SmError.SrUnavailable.Failure($"the simulated SR {sr.Uuid} has no substrate (was it created on this agent?)");
            }

            var result = body(ledger);
            var temporary = path + ".tmp";
            await using (var output = File.Create(temporary))
            {
                await JsonSerializer.SerializeAsync(output, ledger, Json, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class Ledger
    {
        public long Size { get; set; }

        public Dictionary<string, LedgerVdi> Vdis { get; set; } = new(StringComparer.Ordinal);
    }

    private sealed class LedgerVdi
    {
        public string Location { get; set; } = "";

        public long VirtualSize { get; set; }

        public long Used { get; set; }

        public long Imported { get; set; }

        public string? Parent { get; set; }

        public bool ReadOnly { get; set; }

        public VdiInfo ToInfo() => new(Location, VirtualSize, Used, Parent, ReadOnly);
    }
}
