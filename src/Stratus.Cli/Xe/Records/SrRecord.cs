using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>
/// The CLI's SR record (records.ml <c>sr_record</c>). Its "host" column is the name-label of the one host whose PBD
/// connects the SR, "&lt;shared&gt;" with several PBDs, and "&lt;not in database&gt;" with none.
/// </summary>
internal static class SrRecord
{
    public static XeRecordType Type { get; } = new("sr", "SR", Build())
    {
        DefaultListParams = ["uuid", "name-label", "name-description", "host", "type", "content-type"],
        StandardList = true,
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name-label", "name_label") with { Set = SetText("SR.set_name_label") },
        Text("name-description", "name_description") with { Set = SetText("SR.set_name_description") },
        new XeField
        {
            Name = "host",
            Requires = ["PBDs"],
            Get = async (row, ct) =>
            {
                var pbds = XeText.Set(row["PBDs"]);
                if (pbds.Count > 1)
                {
                    return "<shared>";
                }

                var pbd = pbds.Count == 1 ? await row.Context.RecordAsync("PBD", pbds[0], ct) : null;
                return await row.Context.NameOfAsync("host", pbd?.GetValueOrDefault("host"), ct);
            },
        },
        EnumSet("allowed-operations", "allowed_operations", XeEnumText.SrOperation),
        Operations("current-operations", "current_operations", XeEnumText.SrOperation),
        RefUuids("VDIs", "VDIs", "VDI", asSet: true),
        RefUuids("PBDs", "PBDs", "PBD", asSet: true),
        Text("virtual-allocation", "virtual_allocation"),
        Text("physical-utilisation", "physical_utilisation"),
        Text("physical-size", "physical_size"),
        Text("type", "type"),
        Text("content-type", "content_type"),
        Bool("shared", "shared") with { Set = SetSafeBool("SR.set_shared", "shared") },
        RefUuid("introduced-by", "introduced_by", "DR_task"),
        Bool("is-tools-sr", "is_tools_sr"),
        MapRw("other-config", "other_config", "SR"),
        Map("sm-config", "sm_config"),
        RefMap("blobs", "blobs", "blob"),
        Bool("local-cache-enabled", "local_cache_enabled"),
        Tags("tags", "tags", "SR"),
        Bool("clustered", "clustered"),
    ];
}
