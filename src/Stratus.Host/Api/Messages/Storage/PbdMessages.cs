using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Storage;

/// <summary>PBD.create/destroy/plug/unplug/set_device_config: connecting an SR to this host through its driver.</summary>
internal sealed class PbdMessages(ObjectDatabase db, SrContexts storage) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("PBD.create", (_, a) => Create(a.Map(0)));
        table.Message("PBD.destroy", (_, a) =>
        {
            db.Write(tx =>
            {
                var pbd = tx.Get(XenModel.PBD, a.Ref(0));
                if (pbd.Bool("currently_attached"))
                {
                    throw new XenApiFailure(XenErrors.OperationNotAllowed, "PBD is plugged; unplug it first");
                }

                tx.Delete(XenModel.PBD, pbd.Ref);
            });
            return null;
        });
        table.Message("PBD.plug", (c, a) => PlugAsync(a.Ref(0), c.Cancellation));
        table.Message("PBD.unplug", (c, a) => UnplugAsync(a.Ref(0), c.Cancellation));
        table.Message("PBD.set_device_config", (_, a) =>
        {
            db.Write(tx => tx.Update(XenModel.PBD, a.Ref(0), ("device_config", a.Map(1))));
            return null;
        });
    }

    private string Create(IReadOnlyDictionary<string, object?> record) => db.Write(tx =>
    {
        var sr = tx.Get(XenModel.SR, (string)record["SR"]!);
        var hostRef = (string)record["host"]!;
        tx.Get(XenModel.Host, hostRef);
        if (storage.Pbd(tx, sr) is { } existing && existing.String("host") == hostRef)
        {
            throw new XenApiFailure(XenErrors.PbdExists, sr.Ref, hostRef, existing.Ref);
        }

        return tx.Create(XenModel.PBD, new Dictionary<string, object?>
        {
            ["host"] = hostRef,
            ["SR"] = sr.Ref,
            ["device_config"] = record["device_config"],
            ["other_config"] = record["other_config"],
            ["currently_attached"] = false,
        });
    });

    private async ValueTask<object?> PlugAsync(string pbdRef, CancellationToken cancellationToken)
    {
        var (driver, context, srRef) = db.Read(tx =>
        {
            var pbd = tx.Get(XenModel.PBD, pbdRef);
            if (pbd.Bool("currently_attached"))
            {
                throw new XenApiFailure(XenErrors.DeviceAlreadyAttached, pbdRef);
            }

            var sr = tx.Get(XenModel.SR, pbd.String("SR"));
            return (storage.Driver(sr.String("type")), storage.For(sr, pbd.Map("device_config")), sr.Ref);
        });
        var capacity = await driver.AttachAsync(context, cancellationToken);
        db.Write(tx =>
        {
            tx.Update(XenModel.PBD, pbdRef, ("currently_attached", true));
            VdiOperations.UpdateSr(tx, srRef, capacity);
        });
        return null;
    }

    private async ValueTask<object?> UnplugAsync(string pbdRef, CancellationToken cancellationToken)
    {
        var (driver, context) = db.Read(tx =>
        {
            var pbd = tx.Get(XenModel.PBD, pbdRef);
            if (!pbd.Bool("currently_attached"))
            {
                throw new XenApiFailure(XenErrors.DeviceAlreadyDetached, pbdRef);
            }

            var sr = tx.Get(XenModel.SR, pbd.String("SR"));
            foreach (var vdi in sr.Set("VDIs").Select(v => tx.Get(XenModel.VDI, (string)v!)))
            {
                VdiOperations.AssertNotAttached(tx, vdi, "unplug");
            }

            return (storage.Driver(sr.String("type")), storage.For(sr, pbd.Map("device_config")));
        });
        await driver.DetachAsync(context, cancellationToken);
        db.Write(tx => tx.Update(XenModel.PBD, pbdRef, ("currently_attached", false)));
        return null;
    }
}
