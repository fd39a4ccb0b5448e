using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Storage;

/// <summary>VDI.create/destroy/resize/clone/snapshot/copy/forget/introduce and the explicit setters.</summary>
internal sealed class VdiMessages(ObjectDatabase db, VdiOperations vdis) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("VDI.create", async (c, a) =>
        {
            var record = a.Map(0);
            db.Read(tx => tx.Get(XenModel.SR, (string)record["SR"]!));
            return await vdis.CreateAsync(record, c.Cancellation);
        });
        table.Message("VDI.destroy", async (c, a) =>
        {
            await vdis.DestroyAsync(a.Ref(0), c.Cancellation);
            return null;
        });
        table.Message("VDI.resize", async (c, a) =>
        {
            await vdis.ResizeAsync(a.Ref(0), a.Int(1), c.Cancellation);
            return null;
        });
        table.Message("VDI.clone", async (c, a) => await vdis.CloneAsync(a.Ref(0), c.Cancellation), optionalTrailing: 1);
        table.Message("VDI.snapshot", async (c, a) => await vdis.SnapshotAsync(a.Ref(0), c.Cancellation), optionalTrailing: 1);
        table.Message("VDI.copy", async (c, a) => await vdis.CopyAsync(a.Ref(0), a.Ref(1), c.Cancellation));
        table.Message("VDI.forget", (_, a) =>
        {
            db.Write(tx =>
            {
                var vdi = tx.Get(XenModel.VDI, a.Ref(0));
                VdiOperations.AssertNotAttached(tx, vdi, "forget");
                foreach (var vbd in vdi.Set("VBDs"))
                {
                    tx.Delete(XenModel.VBD, (string)vbd!);
                }

                tx.Delete(XenModel.VDI, vdi.Ref);
            });
            return null;
        });
        foreach (var field in new[] { "read_only", "sharable", "managed", "missing", "virtual_size", "physical_utilisation", "is_a_snapshot", "snapshot_of", "snapshot_time", "name_label", "name_description" })
        {
            if (XenMessages.Find($"VDI.set_{field}") is not null)
            {
                table.Message($"VDI.set_{field}", (_, a) =>
                {
                    db.Write(tx => tx.Update(XenModel.VDI, a.Ref(0), (field, a[1])));
                    return null;
                });
            }
        }
    }
}
