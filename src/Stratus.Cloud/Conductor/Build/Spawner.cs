using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.ConfigDrive;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Build;

/// <summary>
/// Creates a server on a host through the XenAPI only, in nova's xenapi spawn order (vmops._spawn): the image's
/// cached VDI on the chosen SR (imported through /import_raw_vdi if missing), a copy-on-write clone as the root
/// disk (grown to the flavor's size), the VM, its root VBD, the config drive, a VIF per port on the XenAPI network
/// of its Neutron network, then VM.start_on. Works the same on a Stratus agent and on XenServer/XCP-ng.
/// </summary>
internal sealed class Spawner(IImageCatalog images, TimeProvider time)
{
    /// <summary>The config drive's VBD slot (nova's CONFIGDRIVE_VBD_DEV).</summary>
    public const string ConfigDriveDevice = "3";

    public async Task<SpawnedVm> SpawnAsync(HostLink link, SpawnRequest request, StepClock clock, CancellationToken cancellationToken)
    {
        var instance = request.Instance;
        var sr = link.Read(s => s.ChooseSr(request.RequiredSrType))
            ?? throw new XenApiFailure(XenErrors.SrNoPbds, request.RequiredSrType is { } type ? $"no usable SR of type {type} on {link.Host}" : $"no usable SR on {link.Host}");
        var srRef = sr.Ref;
        var (imageVdi, imageSize) = await ImageCache.EnsureAsync(link, srRef, request.Image, images, cancellationToken);
        clock.Lap("image cached");

        string root;
        try
        {
            root = XenValue.ToDbString(await link.CallAsync("VDI.clone", cancellationToken, imageVdi, XenValue.EmptyMap));
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.HandleInvalid)
        {
            // The cached VDI went away behind our back: look it up (or import it) again, once.
            ImageCache.Forget(link, srRef, request.Image.Id);
            (imageVdi, imageSize) = await ImageCache.EnsureAsync(link, srRef, request.Image, images, cancellationToken);
            root = XenValue.ToDbString(await link.CallAsync("VDI.clone", cancellationToken, imageVdi, XenValue.EmptyMap));
        }

        await link.CallAsync("VDI.set_name_label", cancellationToken, root, instance.InstanceName + Teardown.RootSuffix);
        await link.CallAsync("VDI.set_other_config", cancellationToken, root, OwnerConfig(instance, "root"));
        var rootBytes = (long)instance.Flavor.DiskGb << 30;
        if (rootBytes > imageSize)
        {
            await link.CallAsync("VDI.resize", cancellationToken, root, rootBytes);
        }

        clock.Lap("root disk");

        var startHost = link.Read(s => s.StartHostRef);
        var memory = (long)instance.Flavor.RamMb << 20;
        var vm = XenValue.ToDbString(await link.CallAsync("VM.create", cancellationToken, new Dictionary<string, object?>
        {
            ["name_label"] = instance.InstanceName,
            ["name_description"] = instance.Name,
            ["user_version"] = 0L,
            ["is_a_template"] = false,
            ["memory_static_min"] = 0L,
            ["memory_dynamic_min"] = memory,
            ["memory_dynamic_max"] = memory,
            ["memory_static_max"] = memory,
            ["memory_target"] = memory,
            ["VCPUs_max"] = (long)instance.Flavor.Vcpus,
            ["VCPUs_at_startup"] = (long)instance.Flavor.Vcpus,
            ["VCPUs_params"] = XenValue.EmptyMap,
            ["actions_after_shutdown"] = "destroy",
            ["actions_after_reboot"] = "restart",
            ["actions_after_crash"] = "destroy",
            ["PV_bootloader"] = "",
            ["PV_kernel"] = "",
            ["PV_ramdisk"] = "",
            ["PV_args"] = "",
            ["PV_bootloader_args"] = "",
            ["PV_legacy_args"] = "",
            ["HVM_boot_policy"] = "BIOS order",
            ["HVM_boot_params"] = XenValue.Map(("order", "dc")),
            ["platform"] = XenValue.Map(("acpi", "1"), ("apic", "true"), ("pae", "true"), ("nx", "true"), ("viridian", "false"), ("timeoffset", "0")),
            ["PCI_bus"] = "",
            ["recommendations"] = "",
            ["affinity"] = startHost ?? XenRef.Null,
            ["other_config"] = XenValue.Map(("nova_uuid", instance.Id.ToString())),
            ["xenstore_data"] = XenValue.Map(("vm-data/hostname", instance.Hostname.Length > 0 ? instance.Hostname : instance.Name)),
            ["ha_always_run"] = false,
            ["ha_restart_priority"] = "",
            ["tags"] = XenValue.EmptySet,
            ["blocked_operations"] = XenValue.EmptyMap,
        }));
        await CreateVbdAsync(link, vm, root, "0", bootable: true, readOnly: false, cancellationToken);
        clock.Lap("VM created");

        if (request.ConfigDrive)
        {
            var drive = ConfigDriveBuilder.Build(instance, request.AvailabilityZone, request.Ports, time.GetUtcNow().UtcDateTime);
            var vdi = XenValue.ToDbString(await link.CallAsync("VDI.create", cancellationToken, new Dictionary<string, object?>
            {
                ["name_label"] = instance.InstanceName + Teardown.ConfigDriveSuffix,
                ["name_description"] = "config-2",
                ["SR"] = srRef,
                ["virtual_size"] = (long)drive.Length,
                ["type"] = "user",
                ["sharable"] = false,
                ["read_only"] = false,
                ["other_config"] = OwnerConfig(instance, "configdrive"),
                ["xenstore_data"] = XenValue.EmptyMap,
                ["sm_config"] = XenValue.EmptyMap,
                ["tags"] = XenValue.EmptySet,
            }));
            using (var content = new MemoryStream(drive, writable: false))
            {
                await HostTransfers.ImportAsync(link, vdi, "raw", content, drive.Length, cancellationToken);
            }

            await CreateVbdAsync(link, vm, vdi, ConfigDriveDevice, bootable: false, readOnly: true, cancellationToken);
            clock.Lap("config drive");
        }

        for (var i = 0; i < request.Ports.Count; i++)
        {
            var port = request.Ports[i];
            var network = await NetworkForAsync(link, port, cancellationToken);
            await link.CallAsync("VIF.create", cancellationToken, new Dictionary<string, object?>
            {
                ["device"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["network"] = network,
                ["VM"] = vm,
                ["MAC"] = port.MacAddress,
                ["MTU"] = (long)(port.Mtu > 0 ? port.Mtu : 1500),
                ["other_config"] = XenValue.Map(("neutron-port-id", port.PortId)),
                ["qos_algorithm_type"] = "",
                ["qos_algorithm_params"] = XenValue.EmptyMap,
                ["locking_mode"] = "network_default",
                ["ipv4_allowed"] = XenValue.EmptySet,
                ["ipv6_allowed"] = XenValue.EmptySet,
            });
        }

        if (request.Ports.Count > 0)
        {
            clock.Lap("VIFs");
        }

        if (startHost is not null)
        {
            await link.CallAsync("VM.start_on", HostLink.PowerCallTimeout, cancellationToken, vm, startHost, false, false);
        }
        else
        {
            await link.CallAsync("VM.start", HostLink.PowerCallTimeout, cancellationToken, vm, false, false);
        }

        var uuid = XenValue.ToDbString(await link.CallAsync("VM.get_uuid", cancellationToken, vm));
        clock.Lap("started");
        return new SpawnedVm(vm, uuid);
    }

    private static IReadOnlyDictionary<string, object?> OwnerConfig(Instance instance, string diskType) =>
        XenValue.Map((Teardown.InstanceKey, instance.Id.ToString()), ("nova_disk_type", diskType));

    private static Task<object?> CreateVbdAsync(HostLink link, string vm, string vdi, string device, bool bootable, bool readOnly, CancellationToken cancellationToken) =>
        link.CallAsync("VBD.create", cancellationToken, new Dictionary<string, object?>
        {
            ["VM"] = vm,
            ["VDI"] = vdi,
            ["userdevice"] = device,
            ["bootable"] = bootable,
            ["mode"] = readOnly ? "RO" : "RW",
            ["type"] = "Disk",
            ["unpluggable"] = !bootable,
            ["empty"] = false,
            ["other_config"] = XenValue.EmptyMap,
            ["qos_algorithm_type"] = "",
            ["qos_algorithm_params"] = XenValue.EmptyMap,
            ["qos_supported_algorithms"] = XenValue.EmptySet,
        });

    /// <summary>The XenAPI network for a port's Neutron network, "net-&lt;network id&gt;", created on first use (nova's vif driver).</summary>
    private static async Task<string> NetworkForAsync(HostLink link, PortAllocation port, CancellationToken cancellationToken)
    {
        if (link.Networks.TryGetValue(port.NetworkId, out var known))
        {
            return known;
        }

        var gate = link.LockFor("network:" + port.NetworkId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (link.Networks.TryGetValue(port.NetworkId, out known))
            {
                return known;
            }

            var label = "net-" + port.NetworkId;
            var existing = XenRecord.AsRefs(await link.CallAsync("network.get_by_name_label", cancellationToken, label));
            var network = existing.Count > 0
                ? existing[0]
                : XenValue.ToDbString(await link.CallAsync("network.create", cancellationToken, new Dictionary<string, object?>
                {
                    ["name_label"] = label,
                    ["name_description"] = $"Neutron network {port.NetworkName} ({port.NetworkId})",
                    ["MTU"] = (long)(port.Mtu > 0 ? port.Mtu : 1500),
                    ["other_config"] = XenValue.Map(("assume_network_is_shared", "true"), ("neutron-network-id", port.NetworkId)),
                    ["tags"] = XenValue.EmptySet,
                }));
            link.Networks[port.NetworkId] = network;
            return network;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>What a spawn needs beyond the host: the server, its image, its ports, where it lands.</summary>
internal sealed record SpawnRequest(Instance Instance, ImageInfo Image, IReadOnlyList<PortAllocation> Ports, bool ConfigDrive, string AvailabilityZone, string? RequiredSrType);

/// <summary>The VM a spawn started: its ref and uuid on the host.</summary>
internal sealed record SpawnedVm(string Ref, string Uuid);
