using System.Globalization;
using Stratus.XenApi;

namespace Stratus.Cli.Xe.Commands;

/// <summary>The network, VIF and host commands that are not generated (cli_operations.ml).</summary>
internal static class NetworkCommands
{
    public static IEnumerable<XeCommandSpec> All() =>
    [
        new("network-create", ["name-label"], ["name-description", "MTU", "bridge", "managed"], "Create a new network.", NetworkCreateAsync),
        new("network-destroy", ["uuid"], [], "Delete an existing network.", (inv, ct) => StorageCommands.OnUuidAsync(inv, "network", "network.destroy", ct)),
        new("vif-create", ["device", "network-uuid", "vm-uuid"], ["mac"],
            "Create a VIF. Appropriate values for the device are listed in the parameter 'allowed-VIF-devices' on the VM. If specified, the MAC parameter is of the form aa:bb:cc:dd:ee:ff. If MAC is not specified the server will choose an appropriate MAC automatically.",
            VifCreateAsync),
        new("vif-destroy", ["uuid"], [], "Destroy a VIF.", (inv, ct) => StorageCommands.OnUuidAsync(inv, "VIF", "VIF.destroy", ct)),
        new("vif-plug", ["uuid"], [], "Attempt to attach the VIF while the VM is in the running state.", (inv, ct) => StorageCommands.OnUuidAsync(inv, "VIF", "VIF.plug", ct)),
        new("vif-unplug", ["uuid"], ["force"], "Attempt to detach the VIF while the VM is in the running state.",
            (inv, ct) => StorageCommands.OnUuidAsync(inv, "VIF", XeParse.BoolParam(inv.Params, "force") ? "VIF.unplug_force" : "VIF.unplug", ct)),
        new("host-compute-free-memory", [], [], "Computes the amount of free memory on the host.", HostComputeFreeMemoryAsync, XeCommandFlags.HostSelectors),
    ];

    private static async Task NetworkCreateAsync(XeInvocation inv, CancellationToken ct)
    {
        var p = inv.Params;

        // Int64.of_string without a guard: a bad MTU surfaces as xapi's INTERNAL_ERROR.
        var mtu = p.Get("MTU") is { } text
            ? XeParse.TryOcamlInt(text, out var value) ? value : throw new XenApiFailure(XenErrors.InternalError, "Failure: Int64.of_string")
            : 1500L;
        var network = await inv.CallAsync("network.create", ct, XenValue.Map(
            ("name_label", p.Required("name-label")), ("name_description", p.GetOrDefault("name-description", "")), ("MTU", mtu),
            ("other_config", XenValue.EmptyMap), ("bridge", p.GetOrDefault("bridge", "")), ("managed", XeParse.BoolParam(p, "managed", defaultValue: true)),
            ("tags", XenValue.EmptySet)));
        inv.Printer.List([await inv.CallStringAsync("network.get_uuid", ct, network)]);
    }

    /// <summary>cli_operations.ml <c>vif_create</c>: the VIF takes the network's MTU; mac=random makes a local unicast MAC.</summary>
    private static async Task VifCreateAsync(XeInvocation inv, CancellationToken ct)
    {
        var p = inv.Params;
        var mac = p.GetOrDefault("mac", "");
        if (mac == "random")
        {
            mac = RandomMac();
        }

        var vm = await inv.CallAsync("VM.get_by_uuid", ct, p.Required("vm-uuid"));
        var network = await inv.CallAsync("network.get_by_uuid", ct, p.Required("network-uuid"));
        var mtu = await inv.CallAsync("network.get_MTU", ct, network);
        var vif = await inv.CallAsync("VIF.create", ct, XenValue.Map(
            ("device", p.Required("device")), ("network", network), ("VM", vm), ("MAC", mac), ("MTU", XeText.ToLong(mtu)),
            ("other_config", XenValue.EmptyMap), ("currently_attached", false), ("qos_algorithm_type", ""), ("qos_algorithm_params", XenValue.EmptyMap),
            ("locking_mode", "network_default"), ("ipv4_allowed", XenValue.EmptySet), ("ipv6_allowed", XenValue.EmptySet), ("trunks", XenValue.EmptySet)));
        inv.Printer.List([await inv.CallStringAsync("VIF.get_uuid", ct, vif)]);
    }

    /// <summary>
    /// mac=random (record_util.ml <c>random_mac_local</c>): a locally administered unicast MAC. xapi fills all six
    /// bytes with one random value (<c>Array.make 6 (Random.int 0x100)</c>), which makes two random MACs collide one
    /// time in 256; here every byte is drawn.
    /// </summary>
    private static string RandomMac()
    {
        var bytes = new byte[6];
        Random.Shared.NextBytes(bytes);
        bytes[0] = (byte)((bytes[0] | 0x2) & ~0x1);
        return string.Join(':', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static async Task HostComputeFreeMemoryAsync(XeInvocation inv, CancellationToken ct)
    {
        await XeSelect.DoHostOpAsync(inv, async host =>
        {
            inv.Printer.Message(await inv.CallStringAsync("host.compute_free_memory", ct, host.Ref));
            return true;
        }, [], ct, multiple: false);
    }
}
