using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Host;

/// <summary>
/// host.compute_free_memory (nova checks it before a build), compute_memory_overhead, get_servertime,
/// enable/disable, and call_plugin, which Stratus answers honestly with XENAPI_MISSING_PLUGIN: it has no dom0 plugins.
/// </summary>
internal sealed class HostMessages(ObjectDatabase db, TimeProvider time) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("host.compute_free_memory", (_, a) => db.Read(tx => Math.Max(0, HostCapacity.FreeMemory(tx, a.Ref(0)))));
        table.Message("host.compute_memory_overhead", (_, a) => db.Read(tx => tx.Get(XenModel.Host, a.Ref(0)).Int("memory_overhead")));
        table.Message("host.get_servertime", (_, a) =>
        {
            db.Read(tx => tx.Get(XenModel.Host, a.Ref(0)));
            return time.GetUtcNow().UtcDateTime;
        });
        table.Message("host.get_server_localtime", (_, a) =>
        {
            db.Read(tx => tx.Get(XenModel.Host, a.Ref(0)));
            return time.GetLocalNow().DateTime;
        });
        table.Message("host.enable", (_, a) => SetEnabled(a.Ref(0), true));
        table.Message("host.disable", (_, a) => SetEnabled(a.Ref(0), false));
        table.Message("host.call_plugin", (_, a) =>
        {
            db.Read(tx => tx.Get(XenModel.Host, a.Ref(0)));
            throw new XenApiFailure(XenErrors.XenApiMissingPlugin, a.String(1));
        });
        table.Message("host.destroy", (_, _) => throw new XenApiFailure(XenErrors.OperationNotAllowed, "the host the agent runs on cannot be destroyed"));
    }

    private object? SetEnabled(string hostRef, bool enabled)
    {
        db.Write(tx =>
        {
            tx.Get(XenModel.Host, hostRef);
            tx.Update(XenModel.Host, hostRef, ("enabled", enabled));
        });
        return null;
    }
}
