using System.IO.Pipelines;
using Stratus.Host.Database;
using Stratus.Host.Storage;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Storage;

/// <summary>
/// VDI work that crosses the database and a storage driver: create, clone, snapshot, copy, resize, destroy, and
/// keeping the SR's size fields true. The driver acts first (outside any transaction); the records follow in one
/// transaction; if recording fails, the driver's work is undone, so no VDI exists on only one side.
/// </summary>
internal sealed class VdiOperations(ObjectDatabase db, SrContexts storage, TimeProvider time)
{
    /// <summary>VDI.create: allocates <c>virtual_size</c> on the SR (SR_FULL if it does not fit) and records the VDI.</summary>
    public async Task<string> CreateAsync(IReadOnlyDictionary<string, object?> record, CancellationToken cancellationToken)
    {
        var srRef = (string)record["SR"]!;
        var size = (long)record["virtual_size"]!;
        if (size < 0)
        {
            throw new XenApiFailure(XenErrors.InvalidValue, "virtual_size", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var (driver, context) = db.Read(tx =>
        {
            var sr = tx.Get(XenModel.SR, srRef);
            AssertWritable(sr);
            return (storage.Driver(sr.String("type")), storage.Plugged(tx, sr));
        });
        var uuid = Guid.NewGuid().ToString("D");
        var info = await driver.CreateVdiAsync(context, uuid, size, cancellationToken);
        return await RecordAsync(driver, context, srRef, info, fields =>
        {
            foreach (var (key, value) in record)
            {
                fields[key] = value;
            }

            fields["uuid"] = uuid;
        }, cancellationToken);
    }

    /// <summary>VDI.clone: a copy-on-write child on the same SR, with the same name and other_config.</summary>
    public Task<string> CloneAsync(string vdiRef, CancellationToken cancellationToken) =>
        DeriveAsync(vdiRef, snapshot: false, cancellationToken);

    /// <summary>VDI.snapshot: a read-only point-in-time copy (is_a_snapshot, snapshot_of, snapshot_time).</summary>
    public Task<string> SnapshotAsync(string vdiRef, CancellationToken cancellationToken) =>
        DeriveAsync(vdiRef, snapshot: true, cancellationToken);

    /// <summary>VDI.copy: a full, independent copy into <paramref name="targetSrRef"/>, streamed through the drivers.</summary>
    public async Task<string> CopyAsync(string vdiRef, string targetSrRef, CancellationToken cancellationToken)
    {
        var (source, sourceDriver, sourceContext, targetDriver, targetContext) = db.Read(tx =>
        {
            var vdi = tx.Get(XenModel.VDI, vdiRef);
            var sourceSr = tx.Get(XenModel.SR, vdi.String("SR"));
            var targetSr = tx.Get(XenModel.SR, XenRef.IsNull(targetSrRef) ? sourceSr.Ref : targetSrRef);
            AssertWritable(targetSr);
            return (vdi, storage.Driver(sourceSr.String("type")), storage.Plugged(tx, sourceSr), storage.Driver(targetSr.String("type")), storage.Plugged(tx, targetSr));
        });
        var uuid = Guid.NewGuid().ToString("D");
        var info = await targetDriver.CreateVdiAsync(targetContext, uuid, source.Int("virtual_size"), cancellationToken);
        try
        {
            var pipe = new Pipe();
            var export = Task.Run(async () =>
            {
                await using var writer = pipe.Writer.AsStream();
                await sourceDriver.ExportAsync(sourceContext, source.String("location"), writer, ImageFormat.Raw, cancellationToken);
            }, cancellationToken);
            await using (var reader = pipe.Reader.AsStream())
            {
                await targetDriver.ImportAsync(targetContext, info.Location, reader, ImageFormat.Raw, null, cancellationToken);
            }

            await export;
            info = (await targetDriver.ScanAsync(targetContext, cancellationToken)).FirstOrDefault(v => v.Location == info.Location) ?? info;
        }
        catch
        {
            await targetDriver.DestroyVdiAsync(targetContext, info.Location, CancellationToken.None);
            throw;
        }

        return await RecordAsync(targetDriver, targetContext, XenRef.IsNull(targetSrRef) ? source.String("SR") : targetSrRef, info, fields =>
        {
            CopyDescriptive(source, fields);
            fields["uuid"] = uuid;
        }, cancellationToken);
    }

    /// <summary>VDI.resize: grows a VDI that no running VM has attached.</summary>
    public async Task ResizeAsync(string vdiRef, long size, CancellationToken cancellationToken)
    {
        var (vdi, driver, context) = db.Read(tx =>
        {
            var vdi = tx.Get(XenModel.VDI, vdiRef);
            AssertNotAttached(tx, vdi, "resize");
            var sr = tx.Get(XenModel.SR, vdi.String("SR"));
            return (vdi, storage.Driver(sr.String("type")), storage.Plugged(tx, sr));
        });
        if (size < vdi.Int("virtual_size"))
        {
            throw new XenApiFailure(XenErrors.SrBackendFailure(79), "", "VDI Invalid size",
                $"shrinking {vdi.Uuid} from {vdi.Int("virtual_size")} to {size} bytes is not supported");
        }

        var info = await driver.ResizeVdiAsync(context, vdi.String("location"), size, cancellationToken);
        var capacity = await driver.GetCapacityAsync(context, cancellationToken);
        db.Write(tx =>
        {
            tx.Update(XenModel.VDI, vdiRef, ("virtual_size", info.VirtualSize), ("physical_utilisation", info.PhysicalUtilisation));
            UpdateSr(tx, vdi.String("SR"), capacity);
        });
    }

    /// <summary>VDI.destroy: VDI_IN_USE while a VBD has it attached; otherwise removes it and its detached VBDs.</summary>
    public async Task DestroyAsync(string vdiRef, CancellationToken cancellationToken)
    {
        var (vdi, driver, context) = db.Read(tx =>
        {
            var vdi = tx.Get(XenModel.VDI, vdiRef);
            AssertNotAttached(tx, vdi, "destroy");
            var sr = tx.Get(XenModel.SR, vdi.String("SR"));
            return (vdi, storage.Driver(sr.String("type")), storage.Plugged(tx, sr));
        });
        if (!vdi.Bool("missing"))
        {
            await driver.DestroyVdiAsync(context, vdi.String("location"), cancellationToken);
        }

        var capacity = await driver.GetCapacityAsync(context, cancellationToken);
        db.Write(tx =>
        {
            if (tx.Find(XenModel.VDI, vdiRef) is { } current)
            {
                foreach (var vbd in current.Set("VBDs"))
                {
                    tx.Delete(XenModel.VBD, (string)vbd!);
                }

                tx.Delete(XenModel.VDI, vdiRef);
            }

            UpdateSr(tx, vdi.String("SR"), capacity);
        });
    }

    /// <summary>Refreshes SR.physical_size, physical_utilisation and virtual_allocation.</summary>
    public static void UpdateSr(DbTransaction tx, string srRef, SrCapacity capacity)
    {
        if (tx.Find(XenModel.SR, srRef) is not { } sr)
        {
            return;
        }

        var allocated = sr.Set("VDIs").Select(v => tx.Find(XenModel.VDI, (string)v!)).Where(v => v is not null).Sum(v => v!.Int("virtual_size"));
        tx.Update(XenModel.SR, srRef,
            ("physical_size", capacity.PhysicalSize),
            ("physical_utilisation", capacity.PhysicalUtilisation),
            ("virtual_allocation", allocated));
    }

    /// <summary>
    /// Makes the records match what the driver found on the substrate: adopts VDIs created outside the agent and
    /// the hidden base copies clones leave behind (managed = false, read-only), refreshes sizes, parents and
    /// unusable marks, and marks as missing the records whose data is gone. SR.scan and every clone/snapshot run it.
    /// </summary>
    public static void Reconcile(DbTransaction tx, string srRef, IReadOnlyList<VdiInfo> found, SrCapacity capacity)
    {
        var sr = tx.Get(XenModel.SR, srRef);
        var known = sr.Set("VDIs").Select(v => tx.Get(XenModel.VDI, (string)v!)).ToDictionary(v => v.String("location"), StringComparer.Ordinal);
        var refsByLocation = known.ToDictionary(p => p.Key, p => p.Value.Ref, StringComparer.Ordinal);
        foreach (var info in found)
        {
            if (known.Remove(info.Location, out var vdi))
            {
                tx.Update(XenModel.VDI, vdi.Ref, ("virtual_size", info.VirtualSize), ("physical_utilisation", info.PhysicalUtilisation), ("missing", false),
                    ("managed", !info.Hidden), ("read_only", info.ReadOnly || vdi.Bool("read_only")), ("other_config", WithUnusable(vdi.Map("other_config"), info.UnusableReason)));
                continue;
            }

            refsByLocation[info.Location] = tx.Create(XenModel.VDI, new Dictionary<string, object?>
            {
                ["uuid"] = Guid.TryParse(Path.GetFileNameWithoutExtension(info.Location), out var id) ? id.ToString("D") : null,
                ["name_label"] = info.Hidden ? "base copy" : Path.GetFileName(info.Location),
                ["SR"] = srRef,
                ["location"] = info.Location,
                ["virtual_size"] = info.VirtualSize,
                ["physical_utilisation"] = info.PhysicalUtilisation,
                ["type"] = "user",
                ["managed"] = !info.Hidden,
                ["read_only"] = info.ReadOnly || info.Hidden,
                ["other_config"] = WithUnusable(XenValue.EmptyMap, info.UnusableReason),
            });
        }

        foreach (var lost in known.Values.Where(v => !v.Bool("missing")))
        {
            tx.Update(XenModel.VDI, lost.Ref, ("missing", true));
        }

        // Parents as nova walks them: sm_config["vhd-parent"] holds the parent VDI's uuid.
        foreach (var info in found)
        {
            var vdi = tx.Get(XenModel.VDI, refsByLocation[info.Location]);
            var sm = new Dictionary<string, object?>(vdi.Map("sm_config"), StringComparer.Ordinal);
            var parent = info.ParentLocation is { } p && refsByLocation.TryGetValue(p, out var parentRef) ? tx.Get(XenModel.VDI, parentRef).Uuid : null;
            if (parent is null ? sm.Remove("vhd-parent") : !Equals(sm.GetValueOrDefault("vhd-parent"), parent))
            {
                if (parent is not null)
                {
                    sm["vhd-parent"] = parent;
                }

                tx.Update(XenModel.VDI, vdi.Ref, ("sm_config", sm));
            }
        }

        UpdateSr(tx, srRef, capacity);
    }

    /// <summary>other_config with the import-failure mark set to <paramref name="reason"/> (or removed when null).</summary>
    public static Dictionary<string, object?> WithUnusable(IReadOnlyDictionary<string, object?> otherConfig, string? reason)
    {
        var copy = new Dictionary<string, object?>(otherConfig, StringComparer.Ordinal);
        if (reason is null)
        {
            copy.Remove(UnusableKey);
        }
        else
        {
            copy[UnusableKey] = reason;
        }

        return copy;
    }

    /// <summary>VDI.other_config key that says why a VDI's contents cannot be trusted (an import that did not finish).</summary>
    public const string UnusableKey = "stratus-import-failed";

    /// <summary>VDI_IN_USE [vdi, operation] when a VBD has the VDI attached.</summary>
    public static void AssertNotAttached(DbTransaction tx, Row vdi, string operation)
    {
        if (vdi.Set("VBDs").Select(v => tx.Find(XenModel.VBD, (string)v!)).Any(v => v is not null && v.Bool("currently_attached")))
        {
            throw new XenApiFailure(XenErrors.VdiInUse, vdi.Ref, operation);
        }
    }

    private static void AssertWritable(Row sr)
    {
        if (sr.String("type") == "iso" || sr.String("content_type") == "iso")
        {
            throw new XenApiFailure(XenErrors.SrOperationNotSupported, sr.Ref);
        }
    }

    private async Task<string> DeriveAsync(string vdiRef, bool snapshot, CancellationToken cancellationToken)
    {
        var (source, driver, context) = db.Read(tx =>
        {
            var vdi = tx.Get(XenModel.VDI, vdiRef);
            // Copying a disk a running VM writes to would copy a moving target (and on NFS nothing else stops it).
            AssertNotAttached(tx, vdi, snapshot ? "snapshot" : "clone");
            var sr = tx.Get(XenModel.SR, vdi.String("SR"));
            return (vdi, storage.Driver(sr.String("type")), storage.Plugged(tx, sr));
        });
        var uuid = Guid.NewGuid().ToString("D");
        var info = snapshot
            ? await driver.SnapshotVdiAsync(context, source.String("location"), uuid, cancellationToken)
            : await driver.CloneVdiAsync(context, source.String("location"), uuid, cancellationToken);
        var derived = await RecordAsync(driver, context, source.String("SR"), info, fields =>
        {
            CopyDescriptive(source, fields);
            fields["uuid"] = uuid;
            if (snapshot)
            {
                fields["is_a_snapshot"] = true;
                fields["snapshot_of"] = vdiRef;
                fields["snapshot_time"] = time.GetUtcNow().UtcDateTime;
                fields["read_only"] = true;
            }
        }, cancellationToken);

        // A copy-on-write clone turns the source into a child of a new hidden base copy (ISrDriver.CloneVdiAsync):
        // rescan so the records show the base copy and both children's parent.
        var found = await driver.ScanAsync(context, cancellationToken);
        var capacity = await driver.GetCapacityAsync(context, cancellationToken);
        db.Write(tx => Reconcile(tx, source.String("SR"), found, capacity));
        return derived;
    }

    private async Task<string> RecordAsync(ISrDriver driver, SrContext context, string srRef, VdiInfo info, Action<Dictionary<string, object?>> describe, CancellationToken cancellationToken)
    {
        try
        {
            var capacity = await driver.GetCapacityAsync(context, cancellationToken);
            return db.Write(tx =>
            {
                tx.Get(XenModel.SR, srRef);
                var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                describe(fields);
                fields["SR"] = srRef;
                fields["location"] = info.Location;
                fields["virtual_size"] = info.VirtualSize;
                fields["physical_utilisation"] = info.PhysicalUtilisation;
                fields["managed"] = true;
                fields["read_only"] = info.ReadOnly || fields.GetValueOrDefault("read_only") is true;
                if (info.ParentLocation is { } parent)
                {
                    var parentUuid = tx.All(XenModel.VDI).FirstOrDefault(v => v.String("SR") == srRef && v.String("location") == parent)?.Uuid ?? parent;
                    var sm = fields.GetValueOrDefault("sm_config") as IReadOnlyDictionary<string, object?> ?? XenValue.EmptyMap;
                    fields["sm_config"] = new Dictionary<string, object?>(sm, StringComparer.Ordinal) { ["vhd-parent"] = parentUuid };
                }

                var vdiRef = tx.Create(XenModel.VDI, fields);
                UpdateSr(tx, srRef, capacity);
                return vdiRef;
            });
        }
        catch
        {
            await driver.DestroyVdiAsync(context, info.Location, CancellationToken.None);
            throw;
        }
    }

    private static void CopyDescriptive(Row source, Dictionary<string, object?> fields)
    {
        foreach (var name in new[] { "name_label", "name_description", "type", "sharable", "other_config", "xenstore_data", "sm_config", "tags" })
        {
            fields[name] = source[name];
        }
    }
}
