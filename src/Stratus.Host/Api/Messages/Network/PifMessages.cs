using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Network;

/// <summary>PIF.plug/unplug/destroy. The management PIF stands for the NIC the agent is reached on and cannot go.</summary>
internal sealed class PifMessages(ObjectDatabase db) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("PIF.plug", (_, a) => Set(a.Ref(0), attach: true));
        table.Message("PIF.unplug", (_, a) => Set(a.Ref(0), attach: false));
        table.Message("PIF.destroy", (_, a) =>
        {
            db.Write(tx =>
            {
                var pif = tx.Get(XenModel.PIF, a.Ref(0));
                if (pif.Bool("management"))
                {
                    throw new XenApiFailure(XenErrors.OperationNotAllowed, "the management PIF cannot be destroyed");
                }

                tx.Delete(XenModel.PIF, pif.Ref);
            });
            return null;
        });
    }

    private object? Set(string pifRef, bool attach)
    {
        db.Write(tx =>
        {
            var pif = tx.Get(XenModel.PIF, pifRef);
            if (!attach && pif.Bool("management"))
            {
                throw new XenApiFailure(XenErrors.OperationNotAllowed, "unplugging the management PIF would cut the agent off");
            }

            tx.Update(XenModel.PIF, pifRef, ("currently_attached", attach));
        });
        return null;
    }
}
