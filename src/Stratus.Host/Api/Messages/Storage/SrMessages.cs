using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.Host.Storage;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Storage;

/// <summary>
/// SR.create (substrate + SR + a plugged PBD for this host), introduce, forget, destroy, scan, update and
/// get_supported_types. Every SR type goes through the same driver interface, lvm included: nothing here depends on
/// an SR being file-based (the seed's "Only file-based SRs (ext/NFS) are supported" has no counterpart).
/// </summary>
internal sealed class SrMessages(ObjectDatabase db, SrContexts storage, ISrDrivers drivers, HostIdentity host) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("SR.create", (c, a) => CreateAsync(a.Ref(0), a.Map(1), a.Int(2), a.String(3), a.String(4), a.String(5), a.String(6), a.Bool(7), a.Map(8), c.Cancellation), optionalTrailing: 1);
        table.Message("SR.introduce", (_, a) => Introduce(a.String(0), a.String(1), a.String(2), a.String(3), a.String(4), a.Bool(5), a.Map(6)), optionalTrailing: 1);
        table.Message("SR.forget", (_, a) => Forget(a.Ref(0)));
        table.Message("SR.destroy", (c, a) => DestroyAsync(a.Ref(0), c.Cancellation));
        table.Message("SR.scan", (c, a) => ScanAsync(a.Ref(0), c.Cancellation));
        table.Message("SR.update", (c, a) => UpdateAsync(a.Ref(0), c.Cancellation));
        table.Message("SR.get_supported_types", (_, _) => drivers.All.Select(d => (object?)d.Type).ToArray());
        table.Message("SR.set_shared", (_, a) =>
        {
            db.Write(tx => tx.Update(XenModel.SR, a.Ref(0), ("shared", a.Bool(1))));
            return null;
        });
        table.Message("SR.set_name_label", (_, a) =>
        {
            db.Write(tx => tx.Update(XenModel.SR, a.Ref(0), ("name_label", a.String(1))));
            return null;
        });
        table.Message("SR.set_name_description", (_, a) =>
        {
            db.Write(tx => tx.Update(XenModel.SR, a.Ref(0), ("name_description", a.String(1))));
            return null;
        });
    }

    private async ValueTask<object?> CreateAsync(string hostRef, IReadOnlyDictionary<string, object?> deviceConfig, long physicalSize, string name,
        string description, string type, string contentType, bool shared, IReadOnlyDictionary<string, object?> smConfig, CancellationToken cancellationToken)
    {
        var driver = storage.Driver(type);
        db.Read(tx => tx.Get(XenModel.Host, hostRef));
        if (hostRef != host.HostRef)
        {
            throw new XenApiFailure(XenErrors.OperationNotAllowed, $"host {hostRef} is not the host this agent manages");
        }

        var uuid = Guid.NewGuid().ToString("D");
        var context = new SrContext(uuid, type, SrContexts.Strings(deviceConfig), SrContexts.Strings(smConfig), storage.DataDirectory, physicalSize);
        var capacity = await driver.CreateAsync(context, cancellationToken);
        try
        {
            return db.Write(tx =>
            {
                var sr = tx.Create(XenModel.SR, new Dictionary<string, object?>
                {
                    ["uuid"] = uuid,
                    ["name_label"] = name,
                    ["name_description"] = description,
                    ["type"] = type,
                    ["content_type"] = contentType.Length > 0 ? contentType : type == "iso" ? "iso" : "user",
                    ["shared"] = shared,
                    ["sm_config"] = smConfig,
                    ["physical_size"] = capacity.PhysicalSize,
                    ["physical_utilisation"] = capacity.PhysicalUtilisation,
                    ["allowed_operations"] = Operations(type),
                });
                tx.Create(XenModel.PBD, new Dictionary<string, object?>
                {
                    ["host"] = hostRef,
                    ["SR"] = sr,
                    ["device_config"] = deviceConfig,
                    ["currently_attached"] = true,
                });
                return sr;
            });
        }
        catch
        {
            await driver.DestroyAsync(context, CancellationToken.None);
            throw;
        }
    }

    private string Introduce(string uuid, string name, string description, string type, string contentType, bool shared, IReadOnlyDictionary<string, object?> smConfig)
    {
        storage.Driver(type);
        return db.Write(tx => tx.Create(XenModel.SR, new Dictionary<string, object?>
        {
            ["uuid"] = uuid,
            ["name_label"] = name,
            ["name_description"] = description,
            ["type"] = type,
            ["content_type"] = contentType,
            ["shared"] = shared,
            ["sm_config"] = smConfig,
            ["introduced_by"] = XenRef.Null,
            ["allowed_operations"] = Operations(type),
        }));
    }

    /// <summary>SR.forget: drops the records (SR, PBDs, VDIs) and keeps the data. SR_HAS_PBD while a PBD is plugged.</summary>
    private object? Forget(string srRef)
    {
        db.Write(tx =>
        {
            var sr = tx.Get(XenModel.SR, srRef);
            var pbds = sr.Set("PBDs").Select(p => tx.Get(XenModel.PBD, (string)p!)).ToList();
            if (pbds.Any(p => p.Bool("currently_attached")))
            {
                throw new XenApiFailure(XenErrors.SrHasPbd, srRef);
            }

            foreach (var vdi in sr.Set("VDIs").Select(v => tx.Get(XenModel.VDI, (string)v!)))
            {
                VdiOperations.AssertNotAttached(tx, vdi, "forget");
                foreach (var vbd in vdi.Set("VBDs"))
                {
                    tx.Delete(XenModel.VBD, (string)vbd!);
                }

                tx.Delete(XenModel.VDI, vdi.Ref);
            }

            foreach (var pbd in pbds)
            {
                tx.Delete(XenModel.PBD, pbd.Ref);
            }

            tx.Delete(XenModel.SR, srRef);
        });
        return null;
    }

    /// <summary>
    /// SR.destroy: removes the substrate and the records; the SR must hold no VDIs (SR_NOT_EMPTY). xapi wants this
    /// host's PBD unplugged first (message_forwarding SR.destroy, then storage_access.destroy_sr attaches the SR just
    /// for the destroy); Stratus takes a plugged SR as well, as its own tests and <c>xe sr-destroy</c> users expect.
    /// </summary>
    private async ValueTask<object?> DestroyAsync(string srRef, CancellationToken cancellationToken)
    {
        var (driver, context, plugged) = db.Read(tx =>
        {
            var sr = tx.Get(XenModel.SR, srRef);
            var pbd = storage.Pbd(tx, sr) ?? throw new XenApiFailure(XenErrors.SrNoPbds, srRef);
            if (sr.Set("VDIs").Count > 0)
            {
                throw new XenApiFailure(XenErrors.SrNotEmpty);
            }

            return (storage.Driver(sr.String("type")), storage.For(sr, pbd.Map("device_config")), pbd.Bool("currently_attached"));
        });
        if (!plugged)
        {
            // The substrate must be reachable (export mounted, VG active) to be removed.
            await driver.AttachAsync(context, cancellationToken);
        }

        await driver.DestroyAsync(context, cancellationToken);
        db.Write(tx =>
        {
            var sr = tx.Get(XenModel.SR, srRef);
            foreach (var pbd in sr.Set("PBDs"))
            {
                tx.Delete(XenModel.PBD, (string)pbd!);
            }

            tx.Delete(XenModel.SR, srRef);
        });
        return null;
    }

    /// <summary>
    /// SR.scan: adopts VDIs found on the substrate that have no record (created outside the agent), refreshes the
    /// sizes of known ones, and marks as missing those whose data is gone.
    /// </summary>
    private async ValueTask<object?> ScanAsync(string srRef, CancellationToken cancellationToken)
    {
        var (driver, context) = db.Read(tx =>
        {
            var sr = tx.Get(XenModel.SR, srRef);
            return (storage.Driver(sr.String("type")), storage.Plugged(tx, sr));
        });
        var found = await driver.ScanAsync(context, cancellationToken);
        var capacity = await driver.GetCapacityAsync(context, cancellationToken);
        db.Write(tx => VdiOperations.Reconcile(tx, srRef, found, capacity));
        return null;
    }

    private async ValueTask<object?> UpdateAsync(string srRef, CancellationToken cancellationToken)
    {
        var (driver, context) = db.Read(tx =>
        {
            var sr = tx.Get(XenModel.SR, srRef);
            return (storage.Driver(sr.String("type")), storage.Plugged(tx, sr));
        });
        var capacity = await driver.GetCapacityAsync(context, cancellationToken);
        db.Write(tx => VdiOperations.UpdateSr(tx, srRef, capacity));
        return null;
    }

    /// <summary>SR.allowed_operations (storage_operations) for an SR of this type.</summary>
    public static object?[] Operations(string type) => type == "iso"
        ? ["scan", "plug", "unplug", "forget", "update", "vdi_introduce"]
        : ["scan", "destroy", "forget", "plug", "unplug", "update", "vdi_create", "vdi_introduce", "vdi_destroy", "vdi_resize", "vdi_clone", "vdi_snapshot"];
}
