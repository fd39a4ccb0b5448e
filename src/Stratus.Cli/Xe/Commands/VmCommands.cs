using Stratus.Cli.Xe.Records;
using Stratus.XenApi;

namespace Stratus.Cli.Xe.Commands;

/// <summary>The VM commands that are not generated: lifecycle, install/uninstall, clone/copy, memory, disks (cli_operations.ml).</summary>
internal static class VmCommands
{
    private const XeCommandFlags StandardVm = XeCommandFlags.Standard | XeCommandFlags.VmSelectors;

    public static IEnumerable<XeCommandSpec> All() =>
    [
        new("vm-install", ["new-name-label"], ["sr-name-label", "sr-uuid", "template", "copy-bios-strings-from"],
            "Install a new VM from a template. The template parameter can match either the template name or the uuid.",
            (inv, ct) => VmInstall.RunAsync(inv, ct), XeCommandFlags.Standard),
        new("vm-uninstall", [], ["force"],
            "Uninstall a VM. This operation will destroy those VDIs that are marked RW and connected to this VM only. To simply destroy the VM record, use vm-destroy.",
            UninstallAsync, StandardVm),
        new("vm-start", [], ["force", "on", "paused"],
            "Start the selected VM(s). Where pooling is enabled, the host on which to start can be specified with the 'on' parameter that takes a uuid. The optional parameter '--force' will bypass any hardware-compatibility warnings.",
            StartAsync, StandardVm),
        new("vm-shutdown", [], ["force"],
            "Shutdown the selected VM(s). The optional argument --force will forcibly shut down the VM.",
            ShutdownAsync, StandardVm),
        new("vm-reboot", [], ["force"], "Reboot the selected VM(s).", RebootAsync, StandardVm),
        new("vm-destroy", ["uuid"], [],
            "Destroy a VM. This leaves the storage associated with the VM intact. To delete storage too, use vm-uninstall.",
            DestroyAsync),
        new("vm-clone", ["new-name-label"], ["new-name-description"],
            "Clone an existing VM, using storage-level fast disk clone operation where available.",
            CloneAsync, StandardVm),
        new("vm-copy", ["new-name-label"], ["new-name-description", "sr-uuid"],
            "Copy an existing VM, but without using storage-level fast disk clone operation (even if this is available). The disk images of the copied VM are guaranteed to be 'full images' - i.e. not part of a CoW chain.",
            CopyAsync, StandardVm),
        new("vm-memory-limits-set", ["static-min", "static-max", "dynamic-min", "dynamic-max"], [],
            "Configure the memory limits of a VM.", MemoryLimitsSetAsync, XeCommandFlags.VmSelectors),
        new("vm-memory-set", ["memory"], [], "Configure the memory allocation of a VM.", MemorySetAsync, XeCommandFlags.VmSelectors),
        new("vm-memory-static-range-set", ["min", "max"], [],
            "Configure the static memory range of a VM. The static memory range defines hard lower and upper limits for a VM's memory. It's possible to change these fields only when a VM is halted. The static range must encompass the dynamic range.",
            (inv, ct) => MemoryRangeSetAsync(inv, "VM.set_memory_static_range", ct), XeCommandFlags.VmSelectors),
        new("vm-memory-dynamic-range-set", ["min", "max"], [],
            "Configure the dynamic memory range of a VM. The dynamic memory range defines soft lower and upper limits for a VM's memory. It's possible to change these fields when a VM is running or halted. The dynamic range must fit within the static range.",
            (inv, ct) => MemoryRangeSetAsync(inv, "VM.set_memory_dynamic_range", ct), XeCommandFlags.VmSelectors),
        new("vm-memory-target-set", ["target"], [],
            "Set the memory target for a halted or running VM. The given value must be within the range defined by the VM's memory_static_min and memory_static_max values.",
            MemoryTargetSetAsync, XeCommandFlags.VmSelectors),
        new("vm-disk-add", ["disk-size", "device"], ["sr-uuid"],
            "Add a new disk to the selected VM(s). The device field should be selected from the field 'allowed-VBD-devices' of the VM.",
            DiskAddAsync, StandardVm),
        new("vm-cd-add", ["cd-name", "device"], [],
            "Add a CD to the VM(s). The device field should be selected from the parameter 'allowed-VBD-devices' of the VM.",
            CdAddAsync, StandardVm),
        new("vm-vif-list", [], [], "List the VIFs present on selected VM.", VifListAsync, StandardVm),
    ];

    /// <summary>cli_operations.ml <c>create_vbd_and_plug</c>: VBD.create, then a hot-plug whose failure is ignored.</summary>
    public static async Task CreateVbdAndPlugAsync(
        XeInvocation inv, object? vm, object? vdi, string device, bool bootable, string mode, string type, bool owner, CancellationToken ct)
    {
        var vbd = await inv.CallAsync("VBD.create", ct, XenValue.Map(
            ("VM", vm), ("VDI", vdi), ("userdevice", device), ("bootable", bootable), ("mode", mode), ("type", type),
            ("unpluggable", true), ("empty", false), ("qos_algorithm_type", ""), ("qos_algorithm_params", XenValue.EmptyMap),
            ("other_config", owner ? XenValue.Map(("owner", "")) : XenValue.EmptyMap), ("device", ""), ("currently_attached", false)));
        try
        {
            await inv.CallAsync("VBD.plug", ct, vbd);
        }
        catch (XenApiFailure)
        {
            // A halted VM cannot take a hot-plug; the VBD is attached when it starts.
        }
    }

    /// <summary>cli_operations.ml <c>get_default_sr_uuid</c>.</summary>
    public static async Task<string?> DefaultSrUuidAsync(XeInvocation inv, CancellationToken ct)
    {
        var pools = XeText.Set(await inv.CallAsync("pool.get_all", ct));
        if (pools.Count == 0)
        {
            throw new XenApiFailure(XenErrors.InternalError, "Remote host does not belong to a pool.");
        }

        var sr = await inv.CallAsync("pool.get_default_SR", ct, pools[0]);
        try
        {
            return await inv.CallStringAsync("SR.get_uuid", ct, sr);
        }
        catch (XenApiFailure)
        {
            return null;
        }
    }

    /// <summary>cli_operations.ml <c>get_host_by_name_or_id</c>.</summary>
    public static async Task<string> HostByNameOrIdAsync(XeInvocation inv, string name, CancellationToken ct)
    {
        var hosts = await XeRows.AllAsync(HostRecord.Type, inv.Context, ct);
        return hosts.FirstOrDefault(h => XeText.Of(h["name_label"]) == name || XeText.Of(h["uuid"]) == name)?.Ref
            ?? throw new XeCliFailure($"Host {name} not found");
    }

    private static async Task UninstallAsync(XeInvocation inv, CancellationToken ct)
    {
        var vms = await XeSelect.DoVmOpAsync(inv, vm => Task.FromResult(vm.Ref), [], ct);
        var all = new List<string>(vms);
        foreach (var vm in vms)
        {
            all.AddRange(XeText.Set(await inv.CallAsync("VM.get_snapshots", ct, vm)));
        }

        await UninstallCommonAsync(inv, all, ct);
    }

    /// <summary>
    /// cli_operations.ml <c>vm_uninstall_common</c>: the VM, the VDIs its VBDs own (VBD other-config:owner) and its
    /// suspend image are listed, then destroyed with --force or after the user types "yes".
    /// </summary>
    private static async Task UninstallCommonAsync(XeInvocation inv, IReadOnlyList<string> vms, CancellationToken ct)
    {
        var listing = new List<string>();
        var destroyers = new List<Func<Task>>();
        foreach (var vm in vms)
        {
            var vdis = new List<object?>();
            foreach (var vbd in XeText.Set(await inv.CallAsync("VM.get_VBDs", ct, vm)))
            {
                try
                {
                    var otherConfig = await inv.CallAsync("VBD.get_other_config", ct, vbd) as IReadOnlyDictionary<string, object?>;
                    var vdi = await inv.CallAsync("VBD.get_VDI", ct, vbd);
                    await inv.CallAsync("VDI.get_uuid", ct, vdi);
                    if (otherConfig?.ContainsKey("owner") == true)
                    {
                        vdis.Add(vdi);
                    }
                }
                catch (XenApiFailure)
                {
                    // An empty drive or a VDI that is already gone has nothing to destroy.
                }
            }

            object? suspendVdi = XenRef.Null;
            try
            {
                var candidate = await inv.CallAsync("VM.get_suspend_VDI", ct, vm);
                await inv.CallAsync("VDI.get_uuid", ct, candidate);
                suspendVdi = candidate;
            }
            catch (XenApiFailure)
            {
                // No suspend image.
            }

            var vmRecord = (IReadOnlyDictionary<string, object?>)(await inv.CallAsync("VM.get_record", ct, vm))!;
            listing.Add($"VM : {XeText.Of(vmRecord.GetValueOrDefault("uuid"))} ({XeText.Of(vmRecord.GetValueOrDefault("name_label"))})");
            foreach (var vdi in vdis)
            {
                listing.Add(await DescribeVdiAsync(inv, vdi, ct));
            }

            var hasSuspend = !XenRef.IsNull(XeText.Of(suspendVdi));
            if (hasSuspend)
            {
                listing.Add(await DescribeVdiAsync(inv, suspendVdi, ct));
            }

            destroyers.Add(async () =>
            {
                if (await inv.CallStringAsync("VM.get_power_state", ct, vm) != "Halted")
                {
                    await inv.CallAsync("VM.hard_shutdown", ct, vm);
                }

                await inv.CallAsync("VM.destroy", ct, vm);
                foreach (var vdi in vdis)
                {
                    await inv.CallAsync("VDI.destroy", ct, vdi);
                }

                if (hasSuspend)
                {
                    try
                    {
                        await inv.CallAsync("VDI.destroy", ct, suspendVdi);
                    }
                    catch (XenApiFailure)
                    {
                        // xapi's CLI ignores a suspend image it cannot remove.
                    }
                }
            });
        }

        inv.Printer.Print("The following items are about to be destroyed");
        foreach (var line in listing)
        {
            inv.Printer.Print(line);
        }

        if (XeParse.BoolParam(inv.Params, "force") || await UserSaysYesAsync(inv, ct))
        {
            foreach (var destroy in destroyers)
            {
                await destroy();
            }

            inv.Printer.Print("All objects destroyed");
        }
    }

    private static async Task<string> DescribeVdiAsync(XeInvocation inv, object? vdi, CancellationToken ct)
    {
        var record = (IReadOnlyDictionary<string, object?>)(await inv.CallAsync("VDI.get_record", ct, vdi))!;
        var shared = XeText.Set(record.GetValueOrDefault("VBDs")).Count > 1 ? " ** WARNING: disk is shared by other VMs" : "";
        return $"VDI: {XeText.Of(record.GetValueOrDefault("uuid"))} ({XeText.Of(record.GetValueOrDefault("name_label"))}) {shared}";
    }

    /// <summary>cli_util.ml <c>user_says_yes</c>.</summary>
    private static async Task<bool> UserSaysYesAsync(XeInvocation inv, CancellationToken ct)
    {
        inv.Printer.Print("Type 'yes' to continue");
        var response = await inv.Stdin.ReadLineAsync(ct) ?? "";
        if (response.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        inv.Printer.Print($"Aborted (you typed: '{response}')");
        return false;
    }

    private static async Task StartAsync(XeInvocation inv, CancellationToken ct)
    {
        var force = XeParse.BoolParam(inv.Params, "force");
        var paused = XeParse.BoolParam(inv.Params, "paused");
        await XeSelect.DoVmOpAsync(inv, async vm =>
        {
            try
            {
                return inv.Params.Get("on") is { } on
                    ? await XeTasks.RunAsync(inv, "VM.start_on", ct, vm.Ref, await HostByNameOrIdAsync(inv, on, ct), paused, force)
                    : await XeTasks.RunAsync(inv, "VM.start", ct, vm.Ref, paused, force);
            }
            catch (XenApiFailure failure) when (failure.Code == "NO_HOSTS_AVAILABLE")
            {
                await PrintHostReportAsync(inv, vm.Ref, ct);
                throw;
            }
        }, ["on", "paused", "progress"], ct, includeControl: true);
    }

    /// <summary>cli_operations.ml <c>hook_no_hosts_available</c> and <c>print_vm_host_report</c>.</summary>
    private static async Task PrintHostReportAsync(XeInvocation inv, string vm, CancellationToken ct)
    {
        inv.Printer.List([
            "There are no suitable hosts to start this VM on.",
            "The following table provides per-host reasons for why the VM could not be started:",
            "",
        ]);
        var table = new List<KeyValuePair<string, string>>();
        foreach (var host in XeText.Set(await inv.CallAsync("host.get_all", ct)))
        {
            var name = await inv.CallStringAsync("host.get_name_label", ct, host);
            try
            {
                await inv.CallAsync("VM.assert_can_boot_here", ct, vm, host);
                table.Add(new(name, "OK"));
            }
            catch (XenApiFailure failure)
            {
                table.Add(new(name, $"Cannot start here [{XeErrors.StringOfException(failure)}]"));
            }
        }

        inv.Printer.Table([table]);
    }

    private static async Task ShutdownAsync(XeInvocation inv, CancellationToken ct)
    {
        var method = XeParse.BoolParam(inv.Params, "force") ? "VM.hard_shutdown" : "VM.clean_shutdown";
        await XeSelect.DoVmOpAsync(inv, vm => XeTasks.RunAsync(inv, method, ct, vm.Ref), ["progress"], ct);
    }

    private static async Task RebootAsync(XeInvocation inv, CancellationToken ct)
    {
        var method = XeParse.BoolParam(inv.Params, "force") ? "VM.hard_reboot" : "VM.clean_reboot";
        await XeSelect.DoVmOpAsync(inv, vm => inv.CallAsync(method, ct, vm.Ref), [], ct);
    }

    private static async Task DestroyAsync(XeInvocation inv, CancellationToken ct)
    {
        var vm = await inv.CallAsync("VM.get_by_uuid", ct, inv.Params.Required("uuid"));
        if (XeText.IsTrue(await inv.CallAsync("VM.get_is_control_domain", ct, vm)))
        {
            throw new XenApiFailure(XenErrors.OperationNotAllowed, "You cannot destroy a control domain via the CLI");
        }

        await inv.CallAsync("VM.destroy", ct, vm);
    }

    private static async Task CloneAsync(XeInvocation inv, CancellationToken ct)
    {
        var name = inv.Params.Required("new-name-label");
        var copies = await XeSelect.DoVmOpAsync(inv, vm => inv.CallAsync("VM.clone", ct, vm.Ref, name),
            ["new-name-label", "new-name-description", "ignore-vdi-uuids"], ct, includeTemplates: true);
        await PrintNewVmsAsync(inv, copies, ct);
    }

    private static async Task CopyAsync(XeInvocation inv, CancellationToken ct)
    {
        var name = inv.Params.Required("new-name-label");
        object? sr = inv.Params.Get("sr-uuid") is { } srUuid ? await inv.CallAsync("SR.get_by_uuid", ct, srUuid) : XenRef.Null;
        var copies = await XeSelect.DoVmOpAsync(inv, vm => inv.CallAsync("VM.copy", ct, vm.Ref, name, sr),
            ["new-name-label", "sr-uuid", "new-name-description"], ct, includeTemplates: true, multiple: false);
        await PrintNewVmsAsync(inv, copies, ct);
    }

    /// <summary>The new VMs' uuids, after giving the first one the requested description.</summary>
    private static async Task PrintNewVmsAsync(XeInvocation inv, IReadOnlyList<object?> vms, CancellationToken ct)
    {
        if (inv.Params.Get("new-name-description") is { } description)
        {
            await inv.CallAsync("VM.set_name_description", ct, vms[0], description);
        }

        var uuids = new List<string>();
        foreach (var vm in vms)
        {
            uuids.Add(await inv.CallStringAsync("VM.get_uuid", ct, vm));
        }

        inv.Printer.List(uuids);
    }

    private static async Task MemoryLimitsSetAsync(XeInvocation inv, CancellationToken ct)
    {
        long Extract(string key) => XeParse.Bytes(key, inv.Params.Required(key));
        var (staticMin, staticMax, dynamicMin, dynamicMax) = (Extract("static-min"), Extract("static-max"), Extract("dynamic-min"), Extract("dynamic-max"));
        await XeSelect.DoVmOpAsync(inv, vm => inv.CallAsync("VM.set_memory_limits", ct, vm.Ref, staticMin, staticMax, dynamicMin, dynamicMax),
            ["static-min", "static-max", "dynamic-min", "dynamic-max"], ct, includeControl: true, includeTemplates: true);
    }

    private static async Task MemorySetAsync(XeInvocation inv, CancellationToken ct)
    {
        var value = XeParse.Bytes("memory", inv.Params.Required("memory"));
        await XeSelect.DoVmOpAsync(inv, vm => inv.CallAsync("VM.set_memory", ct, vm.Ref, value), ["memory"], ct, includeControl: true, includeTemplates: true);
    }

    private static async Task MemoryRangeSetAsync(XeInvocation inv, string method, CancellationToken ct)
    {
        var min = XeParse.Bytes("min", inv.Params.Required("min"));
        var max = XeParse.Bytes("max", inv.Params.Required("max"));
        await XeSelect.DoVmOpAsync(inv, vm => inv.CallAsync(method, ct, vm.Ref, min, max), ["min", "max"], ct, includeControl: true, includeTemplates: true);
    }

    private static async Task MemoryTargetSetAsync(XeInvocation inv, CancellationToken ct)
    {
        var target = XeParse.Bytes("target", inv.Params.Required("target"));
        await XeSelect.DoVmOpAsync(inv, vm => inv.CallAsync("VM.set_memory_dynamic_range", ct, vm.Ref, target, target), ["target"], ct, includeControl: true);
    }

    /// <summary>cli_operations.ml <c>vm_disk_add</c>: a new VDI "Created by xe" and an owning VBD, hot-plugged if possible.</summary>
    private static async Task DiskAddAsync(XeInvocation inv, CancellationToken ct)
    {
        var size = XeParse.Bytes("disk-size", inv.Params.Required("disk-size"));
        var device = inv.Params.Required("device");
        var srUuid = inv.Params.Get("sr-uuid")
            ?? await DefaultSrUuidAsync(inv, ct)
            ?? throw new XeCliFailure("No default Pool SR set; you must specify an SR on the commandline");
        var sr = await inv.CallAsync("SR.get_by_uuid", ct, srUuid);
        const string name = "Created by xe";
        await XeSelect.DoVmOpAsync(inv, async vm =>
        {
            var vmUuid = await inv.CallStringAsync("VM.get_uuid", ct, vm.Ref);
            var vdi = await inv.CallAsync("VDI.create", ct, XenValue.Map(
                ("name_label", name), ("name_description", name), ("SR", sr), ("virtual_size", size), ("type", "user"),
                ("sharable", false), ("read_only", false), ("other_config", XenValue.EmptyMap), ("xenstore_data", XenValue.EmptyMap),
                ("sm_config", XenValue.Map(("vmhint", vmUuid))), ("tags", XenValue.EmptySet)));
            try
            {
                await CreateVbdAndPlugAsync(inv, vm.Ref, vdi, device, false, "RW", "Disk", owner: true, ct);
            }
            catch (XenApiFailure)
            {
                await inv.CallAsync("VDI.destroy", ct, vdi);
                throw;
            }

            return vdi;
        }, ["sr-uuid", "device", "disk-size"], ct);
    }

    private static async Task CdAddAsync(XeInvocation inv, CancellationToken ct)
    {
        var name = inv.Params.Required("cd-name");
        object? cd = null;
        foreach (var vdi in XeText.Set(await inv.CallAsync("VDI.get_by_name_label", ct, name)))
        {
            var sr = await inv.CallAsync("VDI.get_SR", ct, vdi);
            if (await inv.CallStringAsync("SR.get_content_type", ct, sr) == "iso")
            {
                cd = vdi;
                break;
            }
        }

        if (cd is null)
        {
            throw new XeCliFailure($"CD {name} not found!");
        }

        var device = inv.Params.Required("device");
        await XeSelect.DoVmOpAsync(inv, async vm =>
        {
            await CreateVbdAndPlugAsync(inv, vm.Ref, cd, device, false, "RO", "CD", owner: false, ct);
            return true;
        }, ["cd-name", "device", "cd-location"], ct);
    }

    /// <summary>cli_operations.ml <c>vm_vif_list</c>: one table of the VM's VIFs per VM (always as with --multiple).</summary>
    private static async Task VifListAsync(XeInvocation inv, CancellationToken ct)
    {
        var chosen = XeClassCommands.ChooseParams(inv.Params, ["uuid", "device", "MAC", "network-uuid", "network-name-label", "vm-name-label"]);
        var withMultiple = new XeInvocation(inv.Context, inv.Params.Prepend("multiple", "true"), inv.Stdin);
        await XeSelect.DoVmOpAsync(withMultiple, async vm =>
        {
            var table = new List<IReadOnlyList<KeyValuePair<string, string>>>();
            foreach (var vif in XeText.Set(vm["VIFs"]))
            {
                var row = await XeRows.ByRefAsync(VifRecord.Type, inv.Context, vif, ct);
                var fields = row.Fields.Where(f => chosen.Count == 0 || chosen.Contains(f.Name));
                table.Add(await XeClassCommands.PrintFieldsAsync(row, fields, cheap: false, ct));
            }

            inv.Printer.Table(table);
            return true;
        }, ["params"], ct);
    }
}
