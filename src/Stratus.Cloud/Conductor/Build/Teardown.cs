using Stratus.Cloud.Conductor.Hosts;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Build;

/// <summary>
/// Removes everything a server has on a host, found by name and checked by owner (nova's destroy: hard_shutdown,
/// VM.destroy, then the disks): the VM named instance-xxxxxxxx whose other_config:nova_uuid is the server, and its
/// root and config-drive VDIs (never the cached image, which other servers clone). Idempotent, so it serves a failed
/// attempt, a delete, and whatever a controller killed mid-build left behind.
/// </summary>
internal static class Teardown
{
    public const string RootSuffix = " root";

    public const string ConfigDriveSuffix = " config drive";

    public const string InstanceKey = "nova_instance_uuid";

    /// <summary>Destroys the server's VM and disks on the host; returns how many objects went.</summary>
    public static async Task<int> RemoveAsync(HostLink link, Guid instanceId, string vmName, CancellationToken cancellationToken)
    {
        var removed = 0;
        var owner = instanceId.ToString();
        var vms = XenRecord.AsRecords(await link.CallAsync("VM.get_all_records_where", cancellationToken, $"field \"name__label\"={XenRecord.Quote(vmName)}"));
        foreach (var (vm, record) in vms.Where(v => v.Value.MapValue("other_config", "nova_uuid") == owner))
        {
            if (record.String("power_state") != "Halted")
            {
                await HardShutdownAsync(link, vm, cancellationToken);
            }

            try
            {
                await link.CallAsync("VM.destroy", cancellationToken, vm);
                removed++;
            }
            catch (XenApiFailure failure) when (failure.Code == XenErrors.HandleInvalid)
            {
                // Gone already.
            }
        }

        var vdis = XenRecord.AsRecords(await link.CallAsync("VDI.get_all_records_where", cancellationToken,
            $"field \"name__label\"={XenRecord.Quote(vmName + RootSuffix)} or field \"name__label\"={XenRecord.Quote(vmName + ConfigDriveSuffix)}"));
        foreach (var (vdi, _) in vdis.Where(v => v.Value.MapValue("other_config", InstanceKey) == owner))
        {
            try
            {
                await link.CallAsync("VDI.destroy", cancellationToken, vdi);
                removed++;
            }
            catch (XenApiFailure failure) when (failure.Code == XenErrors.HandleInvalid)
            {
            }
        }

        return removed;
    }

    /// <summary>VM.hard_shutdown, where "already halted" is success.</summary>
    public static async Task HardShutdownAsync(HostLink link, string vm, CancellationToken cancellationToken)
    {
        try
        {
            await link.CallAsync("VM.hard_shutdown", HostLink.PowerCallTimeout, cancellationToken, vm);
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.VmBadPowerState && failure.Parameters.Count >= 3 && failure.Parameters[2] == "halted")
        {
        }
    }

    /// <summary>Best effort, for the error path of an import (the original error is what matters).</summary>
    public static async Task DestroyVdiQuietlyAsync(HostLink link, string vdi)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await link.CallAsync("VDI.destroy", quick.Token, vdi);
        }
        catch (Exception e) when (e is XenApiFailure or HttpRequestException or OperationCanceledException or TimeoutException or IOException)
        {
        }
    }
}
