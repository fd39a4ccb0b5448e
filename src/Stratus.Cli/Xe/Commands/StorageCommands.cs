using Stratus.XenApi;

namespace Stratus.Cli.Xe.Commands;

/// <summary>The SR, PBD, VDI and VBD commands that are not generated (cli_operations.ml).</summary>
internal static class StorageCommands
{
    public static IEnumerable<XeCommandSpec> All() =>
    [
        new("sr-create", ["name-label", "type"], ["name-description", "host-uuid", "device-config:", "shared", "physical-size", "content-type", "sm-config:"],
            "Create an SR, also a PBD. The device-config parameters can be specified by device-config:foo=baa, for example.", SrCreateAsync),
        new("sr-introduce", ["name-label", "type", "uuid"], ["name-description", "shared", "content-type"],
            "Introduces an SR (but does not create any PBDs).", SrIntroduceAsync),
        new("sr-scan", ["uuid"], [], "Force an SR scan, syncing database with VDIs present in underlying storage substrate.",
            (inv, ct) => OnUuidAsync(inv, "SR", "SR.scan", ct)),
        new("sr-destroy", ["uuid"], [], "Destroy the SR.", (inv, ct) => OnUuidAsync(inv, "SR", "SR.destroy", ct)),
        new("sr-forget", ["uuid"], [], "Forget about the SR.", (inv, ct) => OnUuidAsync(inv, "SR", "SR.forget", ct)),
        new("pbd-create", ["host-uuid", "sr-uuid"], ["device-config:"],
            "Create a PBD. The read-only device-config parameter can only be set on creation in the following manner. To\nadd a mapping of 'path' -> '/tmp', the command line should contain the argument device-config:path=/tmp",
            PbdCreateAsync),
        new("pbd-destroy", ["uuid"], [], "Destroy the PBD.", (inv, ct) => OnUuidAsync(inv, "PBD", "PBD.destroy", ct)),
        new("pbd-plug", ["uuid"], [],
            "Attempt to plug in the PBD to the host. If this succeeds then the referenced SR (and the VDIs contained within) should be visible to the host.",
            (inv, ct) => OnUuidAsync(inv, "PBD", "PBD.plug", ct)),
        new("pbd-unplug", ["uuid"], [],
            "Attempt to unplug the PBD from the host. If this succeeds then the referenced SR (and the VDIs contained within) should not be visible to the host.",
            (inv, ct) => OnUuidAsync(inv, "PBD", "PBD.unplug", ct)),
        new("vdi-create", ["sr-uuid", "name-label", "virtual-size"], ["sm-config:", "sharable", "tags:", "type"],
            "Create a VDI. Type is 'system' 'user' 'suspend' or 'crashdump'.", VdiCreateAsync),
        new("vdi-destroy", ["uuid"], [], "Destroy a VDI.", (inv, ct) => OnUuidAsync(inv, "VDI", "VDI.destroy", ct)),
        new("vdi-resize", ["uuid", "disk-size"], ["online"], "Resize a VDI.", VdiResizeAsync),
        new("vdi-clone", ["uuid"], ["driver-params-", "new-name-label", "new-name-description"], "Clone a specified VDI.", VdiCloneAsync),
        new("vdi-snapshot", ["uuid"], ["driver-params-"], "Snapshot a specified VDI.", VdiSnapshotAsync),
        new("vdi-copy", ["uuid"], ["sr-uuid", "base-vdi-uuid", "into-vdi-uuid"],
            "Copy either a full VDI or the block differences between two VDIs either into a fresh VDI in a specified SR or into an existing VDI.",
            VdiCopyAsync),
        new("vbd-create", ["vm-uuid", "device"], ["vdi-uuid", "bootable", "type", "mode", "unpluggable"],
            "Create a VBD. Appropriate values for the device field are listed in the parameter 'allowed-VBD-devices' on the VM. If no VDI is specified, an empty VBD will be created. The type parameter can be 'Disk', 'CD' or 'Floppy', and the mode is 'RO' or 'RW'.",
            VbdCreateAsync),
        new("vbd-destroy", ["uuid"], [], "Destroy a VBD.", (inv, ct) => OnUuidAsync(inv, "VBD", "VBD.destroy", ct)),
        new("vbd-plug", ["uuid"], [], "Attempt to attach the VBD while the VM is in the running state.", (inv, ct) => OnUuidAsync(inv, "VBD", "VBD.plug", ct)),
        new("vbd-unplug", ["uuid"], ["timeout", "force"],
            "Attempt to detach the VBD while the VM is in the running state. If the optional argument 'timeout=N' is given then the command will wait for up to 'N' seconds for the unplug to complete. If the optional argument 'force' is given then it will be immediately unplugged.",
            VbdUnplugAsync),
    ];

    /// <summary><c>C.get_by_uuid uuid=</c> and one call on the object.</summary>
    public static async Task OnUuidAsync(XeInvocation inv, string apiClass, string method, CancellationToken ct)
    {
        var self = await inv.CallAsync($"{apiClass}.get_by_uuid", ct, inv.Params.Required("uuid"));
        await inv.CallAsync(method, ct, self);
    }

    /// <summary>cli_operations.ml <c>parse_host_uuid</c>: host-uuid, else the pool master when alone or when asked to.</summary>
    private static async Task<object?> HostAsync(XeInvocation inv, bool defaultMaster, CancellationToken ct)
    {
        if (inv.Params.Get("host-uuid") is { } uuid)
        {
            return await inv.CallAsync("host.get_by_uuid", ct, uuid);
        }

        var standalone = XeText.Set(await inv.CallAsync("host.get_all", ct)).Count == 1;
        if (!standalone && !defaultMaster)
        {
            throw new XeCliFailure("Required parameter not found: host-uuid");
        }

        var pools = XeText.Set(await inv.CallAsync("pool.get_all", ct));
        return pools.Count == 0
            ? throw new XenApiFailure(XenErrors.InternalError, "Remote host does not belong to a pool.")
            : await inv.CallAsync("pool.get_master", ct, pools[0]);
    }

    /// <summary>
    /// cli_operations.ml <c>sr_create</c>. A device-config key ending in "-filename" names a local file whose
    /// contents become the value. The new SR's uuid is printed even with --minimal.
    /// </summary>
    private static async Task SrCreateAsync(XeInvocation inv, CancellationToken ct)
    {
        var p = inv.Params;
        var shared = XeParse.BoolParam(p, "shared");
        var host = await HostAsync(inv, defaultMaster: shared, ct);
        long physicalSize;
        try
        {
            physicalSize = p.Get("physical-size") is { } size ? XeParse.Bytes("physical-size", size) : 0;
        }
        catch (XeCliFailure)
        {
            physicalSize = 0;
        }

        var deviceConfig = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in p.Map("device-config"))
        {
            if (key.EndsWith("-filename", StringComparison.Ordinal))
            {
                string contents;
                try
                {
                    contents = await File.ReadAllTextAsync(value, ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    inv.Printer.PrintStderr($"File not found: {value}");
                    throw new XeCliFailure("File not found");
                }

                deviceConfig[key[..^"-filename".Length]] = contents;
            }
            else
            {
                deviceConfig[key] = value;
            }
        }

        var sr = await inv.CallAsync("SR.create", ct, host, deviceConfig, physicalSize, p.Required("name-label"),
            p.GetOrDefault("name-description", ""), p.Required("type"), p.GetOrDefault("content-type", ""), shared, ToMap(p.Map("sm-config")));
        inv.Printer.Print(await inv.CallStringAsync("SR.get_uuid", ct, sr));
    }

    private static async Task SrIntroduceAsync(XeInvocation inv, CancellationToken ct)
    {
        var p = inv.Params;
        var uuid = p.Required("uuid");
        await inv.CallAsync("SR.introduce", ct, uuid, p.Required("name-label"), p.GetOrDefault("name-description", ""), p.Required("type"),
            p.GetOrDefault("content-type", ""), XeParse.BoolParam(p, "shared"), ToMap(p.Map("sm-config")));
        inv.Printer.List([uuid]);
    }

    /// <summary>cli_operations.ml <c>pbd_create</c>: device-config:k=v (or the old device-config-k=v).</summary>
    private static async Task PbdCreateAsync(XeInvocation inv, CancellationToken ct)
    {
        var host = await inv.CallAsync("host.get_by_uuid", ct, inv.Params.Required("host-uuid"));
        var sr = await inv.CallAsync("SR.get_by_uuid", ct, inv.Params.Required("sr-uuid"));
        var pbd = await inv.CallAsync("PBD.create", ct, XenValue.Map(
            ("host", host), ("SR", sr), ("device_config", ToMap(inv.Params.Map("device-config"))), ("other_config", XenValue.EmptyMap)));
        inv.Printer.List([await inv.CallStringAsync("PBD.get_uuid", ct, pbd)]);
    }

    private static async Task VdiCreateAsync(XeInvocation inv, CancellationToken ct)
    {
        var p = inv.Params;
        var sr = await inv.CallAsync("SR.get_by_uuid", ct, p.Required("sr-uuid"));
        var size = XeParse.Bytes("virtual-size", p.Required("virtual-size"));
        var type = p.Get("type") is { } t ? XeParse.Enum(Stratus.XenApi.Schema.XenEnums.VdiType.Values, t) : "user";
        var vdi = await inv.CallAsync("VDI.create", ct, XenValue.Map(
            ("name_label", p.Required("name-label")), ("name_description", ""), ("SR", sr), ("virtual_size", size), ("type", type),
            ("sharable", XeParse.BoolParam(p, "sharable")), ("read_only", false), ("xenstore_data", XenValue.EmptyMap),
            ("other_config", XenValue.EmptyMap), ("sm_config", ToMap(p.Map("sm-config"))),
            ("tags", p.Map("tags").Select(t => (object?)t.Key).ToArray())));
        inv.Printer.List([await inv.CallStringAsync("VDI.get_uuid", ct, vdi)]);
    }

    private static async Task VdiResizeAsync(XeInvocation inv, CancellationToken ct)
    {
        var vdi = await inv.CallAsync("VDI.get_by_uuid", ct, inv.Params.Required("uuid"));
        var size = XeParse.Bytes("disk-size", inv.Params.Required("disk-size"));
        await inv.CallAsync(inv.Params.Get("online") == "true" ? "VDI.resize_online" : "VDI.resize", ct, vdi, size);
    }

    private static async Task VdiCloneAsync(XeInvocation inv, CancellationToken ct)
    {
        var vdi = await inv.CallAsync("VDI.get_by_uuid", ct, inv.Params.Required("uuid"));
        var clone = await inv.CallAsync("VDI.clone", ct, vdi, ToMap(inv.Params.Map("driver-params")));
        if (inv.Params.Get("new-name-label") is { } label)
        {
            await inv.CallAsync("VDI.set_name_label", ct, clone, label);
        }

        if (inv.Params.Get("new-name-description") is { } description)
        {
            await inv.CallAsync("VDI.set_name_description", ct, clone, description);
        }

        inv.Printer.List([await inv.CallStringAsync("VDI.get_uuid", ct, clone)]);
    }

    private static async Task VdiSnapshotAsync(XeInvocation inv, CancellationToken ct)
    {
        var vdi = await inv.CallAsync("VDI.get_by_uuid", ct, inv.Params.Required("uuid"));
        var snapshot = await inv.CallAsync("VDI.snapshot", ct, vdi, ToMap(inv.Params.Map("driver-params")));
        inv.Printer.List([await inv.CallStringAsync("VDI.get_uuid", ct, snapshot)]);
    }

    private static async Task VdiCopyAsync(XeInvocation inv, CancellationToken ct)
    {
        var p = inv.Params;
        var vdi = await inv.CallAsync("VDI.get_by_uuid", ct, p.Required("uuid"));
        object? baseVdi = p.Get("base-vdi-uuid") is { } baseUuid ? await inv.CallAsync("VDI.get_by_uuid", ct, baseUuid) : XenRef.Null;
        if (p.Has("sr-uuid") == p.Has("into-vdi-uuid"))
        {
            throw new XeCliFailure("Please specify one but not both of: a destination sr-uuid (I will create a fresh VDI); or a destination into-vdi-uuid (I will copy the blocks into this VDI)");
        }

        object? sr = p.Get("sr-uuid") is { } srUuid ? await inv.CallAsync("SR.get_by_uuid", ct, srUuid) : XenRef.Null;
        object? into = p.Get("into-vdi-uuid") is { } intoUuid ? await inv.CallAsync("VDI.get_by_uuid", ct, intoUuid) : XenRef.Null;
        var copy = await inv.CallAsync("VDI.copy", ct, vdi, sr, baseVdi, into);
        inv.Printer.List([await inv.CallStringAsync("VDI.get_uuid", ct, copy)]);
    }

    private static async Task VbdCreateAsync(XeInvocation inv, CancellationToken ct)
    {
        var p = inv.Params;
        var vm = await inv.CallAsync("VM.get_by_uuid", ct, p.Required("vm-uuid"));
        var empty = !p.Has("vdi-uuid");
        object? vdi = empty ? XenRef.Null : await inv.CallAsync("VDI.get_by_uuid", ct, p.Required("vdi-uuid"));
        var bootable = XeParse.BoolParam(p, "bootable");
        var mode = p.Get("mode") is { } m
            ? m.ToLowerInvariant() switch
            {
                "ro" => "RO",
                "rw" => "RW",
                var x => throw new XeCliFailure($"Unknown mode: {x} (should be \"ro\" or \"rw\""),
            }
            : "RW";
        var type = p.Get("type") is { } t
            ? t.ToLowerInvariant() switch
            {
                "cd" => "CD",
                "disk" => "Disk",
                "floppy" => "Floppy",
                var x => throw new XeCliFailure($"\"Unknown type: {x} (should be \"cd\", \"disk\" or \"floppy\""),
            }
            : "Disk";
        var unpluggable = XeParse.BoolParam(p, "unpluggable", defaultValue: true);
        if (type == "Disk" && empty)
        {
            throw new XeCliFailure("Empty VBDs can only be made for type=CD");
        }

        var vbd = await inv.CallAsync("VBD.create", ct, XenValue.Map(
            ("VM", vm), ("VDI", vdi), ("userdevice", p.Required("device")), ("bootable", bootable), ("mode", mode), ("type", type),
            ("unpluggable", unpluggable), ("empty", empty), ("qos_algorithm_type", ""), ("qos_algorithm_params", XenValue.EmptyMap),
            ("other_config", XenValue.EmptyMap), ("device", ""), ("currently_attached", false)));
        inv.Printer.List([await inv.CallStringAsync("VBD.get_uuid", ct, vbd)]);
    }

    /// <summary>cli_operations.ml <c>vbd_unplug</c>: on DEVICE_DETACH_REJECTED, poll every 5 s until timeout= runs out.</summary>
    private static async Task VbdUnplugAsync(XeInvocation inv, CancellationToken ct)
    {
        var vbd = await inv.CallAsync("VBD.get_by_uuid", ct, inv.Params.Required("uuid"));
        var timeout = 0.0;
        if (inv.Params.Get("timeout") is { } text)
        {
            timeout = double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw new XeCliFailure("Failed to parse parameter 'timeout': expecting a float");
        }

        var start = inv.Context.Time.GetTimestamp();
        try
        {
            await inv.CallAsync(XeParse.BoolParam(inv.Params, "force") ? "VBD.unplug_force" : "VBD.unplug", ct, vbd);
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.DeviceDetachRejected)
        {
            var unplugged = false;
            while (!unplugged && inv.Context.Time.GetElapsedTime(start).TotalSeconds < timeout)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), inv.Context.Time, ct);
                unplugged = !XeText.IsTrue(await inv.CallAsync("VBD.get_currently_attached", ct, vbd));
            }

            if (!unplugged)
            {
                throw;
            }
        }
    }

    private static Dictionary<string, object?> ToMap(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }
}
