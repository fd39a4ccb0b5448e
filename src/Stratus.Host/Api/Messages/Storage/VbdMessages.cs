using Stratus.Host.Api.Dispatch;
using Stratus.Host.Backends;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Storage;

/// <summary>
/// VBD.create/destroy, plug/unplug (hot-plug, where the backend can) and insert/eject for CD drives. A VBD created
/// on a running VM stays detached until VBD.plug.
/// </summary>
internal sealed class VbdMessages(ObjectDatabase db, IVmBackend backend) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("VBD.create", (_, a) => Create(a.Map(0)));
        table.Message("VBD.destroy", (_, a) =>
        {
            db.Write(tx =>
            {
                var vbd = tx.Get(XenModel.VBD, a.Ref(0));
                if (vbd.Bool("currently_attached") && IsRunning(tx, vbd.String("VM")))
                {
                    throw new XenApiFailure(XenErrors.OperationNotAllowed, "VBD currently attached to a running VM");
                }

                tx.Delete(XenModel.VBD, vbd.Ref);
            });
            return null;
        });
        table.Message("VBD.plug", (_, a) => Plug(a.Ref(0), attach: true));
        table.Message("VBD.unplug", (_, a) => Plug(a.Ref(0), attach: false));
        table.Message("VBD.unplug_force", (_, a) => Plug(a.Ref(0), attach: false));
        table.Message("VBD.insert", (_, a) =>
        {
            db.Write(tx =>
            {
                var vbd = Removable(tx, a.Ref(0));
                if (!vbd.Bool("empty"))
                {
                    throw new XenApiFailure(XenErrors.VbdNotEmpty, vbd.Ref);
                }

                tx.Get(XenModel.VDI, a.Ref(1));
                tx.Update(XenModel.VBD, vbd.Ref, ("VDI", a.Ref(1)), ("empty", false));
            });
            return null;
        });
        table.Message("VBD.eject", (_, a) =>
        {
            db.Write(tx =>
            {
                var vbd = Removable(tx, a.Ref(0));
                if (vbd.Bool("empty"))
                {
                    throw new XenApiFailure(XenErrors.VbdIsEmpty, vbd.Ref);
                }

                tx.Update(XenModel.VBD, vbd.Ref, ("VDI", XenRef.Null), ("empty", true));
            });
            return null;
        });
        foreach (var field in new[] { "mode", "type", "userdevice", "bootable", "unpluggable" })
        {
            if (XenMessages.Find($"VBD.set_{field}") is not null)
            {
                table.Message($"VBD.set_{field}", (_, a) =>
                {
                    db.Write(tx => tx.Update(XenModel.VBD, a.Ref(0), (field, a[1])));
                    return null;
                });
            }
        }
    }

    private string Create(IReadOnlyDictionary<string, object?> record) => db.Write(tx =>
    {
        var vm = tx.Get(XenModel.VM, (string)record["VM"]!);
        var vdiRef = (string)record["VDI"]!;
        var type = (string)record["type"]!;
        var empty = (bool)record["empty"]! || XenRef.IsNull(vdiRef);
        if (empty && type != "CD")
        {
            throw new XenApiFailure(XenErrors.VdiMissing, XenRef.Null, vdiRef);
        }

        if (!empty)
        {
            var vdi = tx.Get(XenModel.VDI, vdiRef);
            if (vdi.Bool("read_only") && (string)record["mode"]! == "RW")
            {
                throw new XenApiFailure(XenErrors.VdiReadOnly, vdiRef);
            }
        }

        var used = vm.Set("VBDs").Select(v => tx.Get(XenModel.VBD, (string)v!).String("userdevice")).ToHashSet(StringComparer.Ordinal);
        var userdevice = (string)record["userdevice"]!;
        if (userdevice is "" or "autodetect")
        {
            userdevice = Enumerable.Range(0, 16).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).First(d => !used.Contains(d));
        }
        else if (used.Contains(userdevice))
        {
            throw new XenApiFailure(XenErrors.DeviceAlreadyExists, userdevice);
        }

        var fields = new Dictionary<string, object?>(record, StringComparer.Ordinal)
        {
            ["userdevice"] = userdevice,
            ["empty"] = empty,
            ["VDI"] = empty ? XenRef.Null : vdiRef,
            ["currently_attached"] = false,
            ["device"] = "",
        };
        return tx.Create(XenModel.VBD, fields);
    });

    private object? Plug(string vbdRef, bool attach)
    {
        db.Write(tx =>
        {
            var vbd = tx.Get(XenModel.VBD, vbdRef);
            var vm = tx.Get(XenModel.VM, vbd.String("VM"));
            if (vm.String("power_state") != "Running")
            {
                throw new XenApiFailure(XenErrors.VmBadPowerState, vm.Ref, "running", vm.String("power_state").ToLowerInvariant());
            }

            if (vbd.Bool("currently_attached") == attach)
            {
                throw new XenApiFailure(attach ? XenErrors.DeviceAlreadyAttached : XenErrors.DeviceAlreadyDetached, vbdRef);
            }

            if (!backend.SupportsHotplug)
            {
                throw new XenApiFailure(XenErrors.OperationNotAllowed, $"the {backend.Name} backend cannot hot-plug disks; stop the VM to change them");
            }

            tx.Update(XenModel.VBD, vbdRef, ("currently_attached", attach));
        });
        return null;
    }

    private static Row Removable(DbTransaction tx, string vbdRef)
    {
        var vbd = tx.Get(XenModel.VBD, vbdRef);
        if (vbd.String("type") != "CD")
        {
            throw new XenApiFailure(XenErrors.VbdNotRemovableMedia, vbdRef);
        }

        return vbd;
    }

    private static bool IsRunning(DbTransaction tx, string vmRef) =>
        tx.Find(XenModel.VM, vmRef)?.String("power_state") is "Running" or "Paused";
}
