using Stratus.XenApi;
using Stratus.XenApi.Schema;
using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's VBD record (records.ml <c>vbd_record</c>).</summary>
internal static class VbdRecord
{
    public static XeRecordType Type { get; } = new("vbd", "VBD", Build())
    {
        DefaultListParams = ["uuid", "vm-uuid", "vm-name-label", "vdi-uuid", "device", "empty"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        RefUuid("vm-uuid", "VM", "VM"),
        RefName("vm-name-label", "VM", "VM"),
        RefUuid("vdi-uuid", "VDI", "VDI"),
        new XeField
        {
            Name = "vdi-name-label",
            Requires = ["empty", "VDI"],
            Get = async (row, ct) => XeText.IsTrue(row["empty"]) ? "<EMPTY>" : await row.Context.NameOfAsync("VDI", row["VDI"], ct),
        },
        EnumSet("allowed-operations", "allowed_operations"),
        Operations("current-operations", "current_operations"),
        Bool("empty", "empty"),
        Text("device", "device"),
        Text("userdevice", "userdevice") with { Set = SetText("VBD.set_userdevice") },
        Bool("bootable", "bootable") with { Set = SetSafeBool("VBD.set_bootable", "bootable") },
        Enum("mode", "mode") with { Set = SetEnum("VBD.set_mode", XenEnums.VbdMode.Values) },
        Enum("type", "type") with { Set = SetEnum("VBD.set_type", XenEnums.VbdType.Values) },
        Bool("unpluggable", "unpluggable") with { Set = SetSafeBool("VBD.set_unpluggable", "unpluggable") },
        Bool("currently-attached", "currently_attached"),
        new XeField
        {
            Name = "attachable",
            Expensive = true,
            Get = async (row, ct) =>
            {
                try
                {
                    await row.CallAsync("VBD.assert_attachable", ct, row.Ref);
                    return "true";
                }
                catch (XenApiFailure failure)
                {
                    // OCaml's Printexc.to_string of Api_errors.Server_error (api_errors.ml's printer).
                    return $"false (error: Server_error({failure.Code}, [ {string.Join("; ", failure.Parameters)} ]))";
                }
            },
        },
        Bool("storage-lock", "storage_lock"),
        Text("status-code", "status_code"),
        Text("status-detail", "status_detail"),
        Text("qos_algorithm_type", "qos_algorithm_type") with { Set = SetText("VBD.set_qos_algorithm_type") },
        MapRw("qos_algorithm_params", "qos_algorithm_params", "VBD"),
        Strings("qos_supported_algorithms", "qos_supported_algorithms", asSet: true),
        MapRw("other-config", "other_config", "VBD"),
        IoRate("io_read_kbs", "vbd_{0}_read"),
        IoRate("io_write_kbs", "vbd_{0}_write"),
    ];

    /// <summary>An RRD rate of the VM, in KiB/s; "&lt;unknown&gt;" when the server has none.</summary>
    internal static XeField IoRate(string name, string dataSourceFormat) =>
        new()
        {
            Name = name,
            Expensive = true,
            Requires = ["device", "VM"],
            Get = async (row, ct) =>
            {
                try
                {
                    var source = string.Format(System.Globalization.CultureInfo.InvariantCulture, dataSourceFormat, XeText.Of(row["device"]));
                    var value = await row.CallAsync("VM.query_data_source", ct, row["VM"], source);
                    return XeText.Float(XeText.ToDouble(value) / 1024.0);
                }
                catch (XenApiFailure)
                {
                    return "<unknown>";
                }
            },
        };
}
