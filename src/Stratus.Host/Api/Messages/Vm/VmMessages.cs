using System.Globalization;
using System.Xml.Linq;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Api.Messages.Storage;
using Stratus.Host.Database;
using Stratus.Host.Networking;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Vm;

/// <summary>
/// VM.create/destroy, clone, copy, provision (template installs from other_config:disks), VCPU counts and the
/// free-device queries. Power operations are in <see cref="VmPowerMessages"/>, memory in <see cref="VmMemoryMessages"/>.
/// </summary>
internal sealed class VmMessages(ObjectDatabase db, VdiOperations vdis, HostIdentity host) : IMessageArea
{
    private const int MaxVbdDevices = 16;
    private const int MaxVifDevices = 7;

    public void Register(MethodTable table)
    {
        table.Message("VM.create", (_, a) => db.Write(tx => Create(tx, a.Map(0))));
        table.Message("VM.destroy", (_, a) =>
        {
            db.Write(tx => Destroy(tx, a.Ref(0)));
            return null;
        });
        table.Message("VM.clone", (c, a) => CloneAsync(c, a.Ref(0), a.String(1), copyTo: null));
        table.Message("VM.copy", (c, a) => CloneAsync(c, a.Ref(0), a.String(1), copyTo: a.Ref(2)));
        table.Message("VM.provision", (c, a) => ProvisionAsync(c, a.Ref(0)));
        table.Message("VM.get_allowed_VBD_devices", (_, a) => FreeDevices(a.Ref(0), XenModel.VBD, "VBDs", "userdevice", MaxVbdDevices));
        table.Message("VM.get_allowed_VIF_devices", (_, a) => FreeDevices(a.Ref(0), XenModel.VIF, "VIFs", "device", MaxVifDevices));
        table.Message("VM.set_VCPUs_max", (_, a) => SetVcpus(a.Ref(0), max: a.Int(1), atStartup: null));
        table.Message("VM.set_VCPUs_at_startup", (_, a) => SetVcpus(a.Ref(0), max: null, atStartup: a.Int(1)));
        table.Message("VM.set_is_a_template", (_, a) =>
        {
            db.Write(tx =>
            {
                var vm = tx.Get(XenModel.VM, a.Ref(0));
                if (a.Bool(1))
                {
                    VmOperations.Assert(vm, "make_into_template");
                }

                tx.Update(XenModel.VM, vm.Ref, ("is_a_template", a.Bool(1)),
                    ("allowed_operations", VmOperations.Allowed(vm.String("power_state"), a.Bool(1), vm.Bool("is_control_domain"))));
            });
            return null;
        });
    }

    /// <summary>VM.create: checks the memory order and VCPU counts, then records a Halted VM with its metrics.</summary>
    public static string Create(DbTransaction tx, IReadOnlyDictionary<string, object?> record)
    {
        VmMemoryMessages.AssertOrder((long)record["memory_static_min"]!, (long)record["memory_dynamic_min"]!, (long)record["memory_dynamic_max"]!, (long)record["memory_static_max"]!);
        var max = (long)record["VCPUs_max"]!;
        var atStartup = (long)record["VCPUs_at_startup"]!;
        if (max < 1 || atStartup < 1 || atStartup > max)
        {
            throw new XenApiFailure(XenErrors.InvalidValue, "VCPU values must satisfy: 0 < VCPUs_at_startup ≤ VCPUs_max",
                atStartup.ToString(CultureInfo.InvariantCulture));
        }

        var fields = new Dictionary<string, object?>(record, StringComparer.Ordinal)
        {
            ["power_state"] = "Halted",
            ["domid"] = -1L,
            ["metrics"] = tx.Create(XenModel.VMMetrics, new Dictionary<string, object?>()),
            ["allowed_operations"] = VmOperations.Allowed("Halted", (bool)record["is_a_template"]!, isControlDomain: false),
        };
        if ((long)record["memory_target"]! == 0)
        {
            fields["memory_target"] = record["memory_dynamic_min"];
        }

        return tx.Create(XenModel.VM, fields);
    }

    /// <summary>VM.destroy: removes the VM, its VBDs, VIFs, consoles and metrics; its VDIs stay.</summary>
    private static void Destroy(DbTransaction tx, string vmRef)
    {
        var vm = tx.Get(XenModel.VM, vmRef);
        VmOperations.Assert(vm, "destroy");
        foreach (var (cls, field) in new[] { (XenModel.VBD, "VBDs"), (XenModel.VIF, "VIFs"), (XenModel.Console, "consoles") })
        {
            foreach (var child in vm.Set(field))
            {
                tx.Delete(cls, (string)child!);
            }
        }

        foreach (var (cls, field) in new[] { (XenModel.VMMetrics, "metrics"), (XenModel.VMGuestMetrics, "guest_metrics") })
        {
            if (tx.Exists(cls, vm.String(field)))
            {
                tx.Delete(cls, vm.String(field));
            }
        }

        tx.Delete(XenModel.VM, vmRef);
    }

    /// <summary>
    /// VM.clone (copy-on-write disks on the same SRs; a clone of a template is a template) and VM.copy (full copies,
    /// into <paramref name="copyTo"/> or the same SRs when it is NULL). CD drives keep their media; VIFs get new MACs
    /// where the original's was generated.
    /// </summary>
    private async ValueTask<object?> CloneAsync(CallContext context, string vmRef, string newName, string? copyTo)
    {
        var operation = copyTo is null ? "clone" : "copy";
        var (source, disks, vifs) = db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            if (copyTo is not null && !XenRef.IsNull(copyTo))
            {
                tx.Get(XenModel.SR, copyTo);
            }

            VmOperations.Assert(vm, operation);
            VmState.BeginOperation(tx, vm, context.Task ?? XenRef.New(), operation);
            var vbds = vm.Set("VBDs").Select(v => tx.Get(XenModel.VBD, (string)v!)).ToList();
            var vifRows = vm.Set("VIFs").Select(v => tx.Get(XenModel.VIF, (string)v!)).ToList();
            return (vm, vbds, vifRows);
        });

        var newVdis = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var vbd in disks.Where(v => v.String("type") != "CD" && !v.Bool("empty") && !XenRef.IsNull(v.String("VDI"))))
            {
                var vdi = vbd.String("VDI");
                if (!newVdis.ContainsKey(vdi))
                {
                    newVdis[vdi] = copyTo is null
                        ? await vdis.CloneAsync(vdi, context.Cancellation)
                        : await vdis.CopyAsync(vdi, copyTo, context.Cancellation);
                }
            }

            return db.Write(tx =>
            {
                VmState.EndOperation(tx, vmRef);
                var fields = source.Class.Fields.Where(f => f.IsConstructorField).ToDictionary(f => f.Name, f => source[f], StringComparer.Ordinal);
                fields["name_label"] = newName;
                fields["is_default_template"] = false;
                fields["uuid"] = null;
                var clone = Create(tx, fields);
                foreach (var vbd in disks)
                {
                    var vbdFields = VbdFields(vbd);
                    vbdFields["VM"] = clone;
                    vbdFields["VDI"] = newVdis.GetValueOrDefault(vbd.String("VDI"), vbd.String("VDI"));
                    tx.Create(XenModel.VBD, vbdFields);
                }

                foreach (var vif in vifs)
                {
                    var vifFields = vif.Class.Fields.Where(f => f.IsConstructorField).ToDictionary(f => f.Name, f => vif[f], StringComparer.Ordinal);
                    vifFields["uuid"] = null;
                    vifFields["VM"] = clone;
                    if (vif.Bool("MAC_autogenerated"))
                    {
                        vifFields["MAC"] = MacAddresses.Generate();
                        vifFields["MAC_autogenerated"] = true;
                    }

                    tx.Create(XenModel.VIF, vifFields);
                }

                return clone;
            });
        }
        catch
        {
            foreach (var created in newVdis.Values)
            {
                await vdis.DestroyAsync(created, CancellationToken.None);
            }

            db.Write(tx => VmState.EndOperation(tx, vmRef));
            throw;
        }
    }

    /// <summary>
    /// VM.provision (xapi_templates.ml): creates the disks described by other_config:disks
    /// (<c>&lt;provision&gt;&lt;disk device="0" size="..." sr="uuid" bootable="true" type="system"/&gt;&lt;/provision&gt;</c>),
    /// removes that key and makes the VM a normal VM. On failure, the disks it made are removed again.
    /// </summary>
    private async ValueTask<object?> ProvisionAsync(CallContext context, string vmRef)
    {
        var (disks, defaultSr) = db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            VmOperations.Assert(vm, "provision");
            var spec = vm.Map("other_config").GetValueOrDefault("disks") as string;
            var pool = tx.Get(XenModel.Pool, host.PoolRef);
            return (ParseDisks(spec), pool.String("default_SR"));
        });

        var created = new List<(string Vdi, ProvisionDisk Disk)>();
        try
        {
            for (var i = 0; i < disks.Count; i++)
            {
                var disk = disks[i];
                var srRef = db.Read(tx => disk.Sr.Length > 0 ? tx.RefByUuid(XenModel.SR, disk.Sr) : defaultSr);
                if (XenRef.IsNull(srRef))
                {
                    throw new XenApiFailure(XenErrors.OperationNotAllowed, "the template's disk names no SR and the pool has no default SR");
                }

                var vdi = await vdis.CreateAsync(new Dictionary<string, object?>
                {
                    ["name_label"] = $"{disk.Type} disk {disk.Device}",
                    ["SR"] = srRef,
                    ["virtual_size"] = disk.Size,
                    ["type"] = XenEnums.VdiType.TryCanonical(disk.Type, out var type) ? type : "system",
                    ["other_config"] = XenValue.EmptyMap,
                    ["sm_config"] = XenValue.EmptyMap,
                    ["xenstore_data"] = XenValue.EmptyMap,
                    ["tags"] = XenValue.EmptySet,
                }, context.Cancellation);
                created.Add((vdi, disk));
                context.Progress((i + 1.0) / (disks.Count + 1));
            }

            db.Write(tx =>
            {
                var vm = tx.Get(XenModel.VM, vmRef);
                foreach (var (vdi, disk) in created)
                {
                    tx.Create(XenModel.VBD, new Dictionary<string, object?>
                    {
                        ["VM"] = vmRef,
                        ["VDI"] = vdi,
                        ["userdevice"] = disk.Device,
                        ["bootable"] = disk.Bootable,
                        ["mode"] = "RW",
                        ["type"] = "Disk",
                        ["unpluggable"] = true,
                        // xapi_templates.ml marks provisioned disks as owned by the VM, so vm-uninstall destroys them.
                        ["other_config"] = XenValue.Map(("owner", "true")),
                    });
                }

                var otherConfig = new Dictionary<string, object?>(vm.Map("other_config"), StringComparer.Ordinal);
                otherConfig.Remove("disks");
                tx.Update(XenModel.VM, vmRef, ("other_config", otherConfig), ("is_a_template", false),
                    ("allowed_operations", VmOperations.Allowed(vm.String("power_state"), false, false)));
            });
        }
        catch
        {
            foreach (var (vdi, _) in created)
            {
                await vdis.DestroyAsync(vdi, CancellationToken.None);
            }

            throw;
        }

        return null;
    }

    private object?[] FreeDevices(string vmRef, XenClass cls, string field, string deviceField, int count) => db.Read(tx =>
    {
        var used = tx.Get(XenModel.VM, vmRef).Set(field).Select(d => tx.Get(cls, (string)d!).String(deviceField)).ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).Where(d => !used.Contains(d)).Cast<object?>().ToArray();
    });

    private object? SetVcpus(string vmRef, long? max, long? atStartup)
    {
        db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            VmOperations.Assert(vm, "changing_VCPUs");
            var newMax = max ?? vm.Int("VCPUs_max");
            var newAtStartup = atStartup ?? vm.Int("VCPUs_at_startup");
            if (newMax < 1 || newAtStartup < 1 || newAtStartup > newMax)
            {
                throw new XenApiFailure(XenErrors.InvalidValue, "VCPU values must satisfy: 0 < VCPUs_at_startup ≤ VCPUs_max",
                    (max ?? atStartup ?? 0).ToString(CultureInfo.InvariantCulture));
            }

            tx.Update(XenModel.VM, vmRef, ("VCPUs_max", newMax), ("VCPUs_at_startup", newAtStartup));
        });
        return null;
    }

    private static Dictionary<string, object?> VbdFields(Row vbd)
    {
        var fields = vbd.Class.Fields.Where(f => f.IsConstructorField).ToDictionary(f => f.Name, f => vbd[f], StringComparer.Ordinal);
        fields["uuid"] = null;
        fields["currently_attached"] = false;
        fields["device"] = "";
        return fields;
    }

    private static List<ProvisionDisk> ParseDisks(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return [];
        }

        try
        {
            var root = XElement.Parse(spec);
            return root.Elements("disk").Select(d => new ProvisionDisk(
                (string?)d.Attribute("device") ?? "0",
                long.Parse((string?)d.Attribute("size") ?? "0", CultureInfo.InvariantCulture),
                (string?)d.Attribute("sr") ?? "",
                string.Equals((string?)d.Attribute("bootable"), "true", StringComparison.OrdinalIgnoreCase),
                (string?)d.Attribute("type") ?? "system")).ToList();
        }
        catch (Exception e) when (e is System.Xml.XmlException or FormatException or OverflowException)
        {
            throw new XenApiFailure(XenErrors.InvalidValue, "other_config:disks", e.Message);
        }
    }

    private sealed record ProvisionDisk(string Device, long Size, string Sr, bool Bootable, string Type);
}
