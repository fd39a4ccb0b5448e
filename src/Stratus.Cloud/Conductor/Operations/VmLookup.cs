using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Operations;

/// <summary>Finds a server's VM on its host: by the uuid recorded at spawn, else by name and owner (nova's lookup by name_label).</summary>
internal static class VmLookup
{
    public static async Task<string?> FindAsync(HostLink link, Instance instance, CancellationToken cancellationToken)
    {
        if (instance.XenVmUuid is { Length: > 0 } uuid)
        {
            try
            {
                return XenValue.ToDbString(await link.CallAsync("VM.get_by_uuid", cancellationToken, uuid));
            }
            catch (XenApiFailure failure) when (failure.Code is XenErrors.UuidInvalid or XenErrors.HandleInvalid)
            {
            }
        }

        var vms = XenRecord.AsRecords(await link.CallAsync("VM.get_all_records_where", cancellationToken, $"field \"name__label\"={XenRecord.Quote(instance.InstanceName)}"));
        return vms.FirstOrDefault(v => v.Value.MapValue("other_config", "nova_uuid") == instance.Id.ToString()).Key;
    }

    /// <summary>nova's power_state for a XenAPI VM.power_state (nova/virt/xenapi/vm_utils.py XENAPI_POWER_STATE).</summary>
    public static int PowerState(string xenPowerState) => xenPowerState switch
    {
        "Running" => PowerStates.Running,
        "Halted" => PowerStates.Shutdown,
        "Paused" => PowerStates.Paused,
        "Suspended" => PowerStates.Suspended,
        "Crashed" => PowerStates.Crashed,
        _ => PowerStates.NoState,
    };
}
