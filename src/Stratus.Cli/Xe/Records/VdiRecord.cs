using Stratus.XenApi;
using Stratus.XenApi.Schema;
using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's VDI record (records.ml <c>vdi_record</c>).</summary>
internal static class VdiRecord
{
    public static XeRecordType Type { get; } = new("vdi", "VDI", Build())
    {
        DefaultListParams = ["uuid", "name-label", "name-description", "virtual-size", "read-only", "sharable", "sr-uuid"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name-label", "name_label") with { Set = SetText("VDI.set_name_label") },
        Text("name-description", "name_description") with { Set = SetText("VDI.set_name_description") },
        Bool("is-a-snapshot", "is_a_snapshot"),
        RefUuid("snapshot-of", "snapshot_of", "VDI"),
        RefUuids("snapshots", "snapshots", "VDI"),
        Text("snapshot-time", "snapshot_time"),
        EnumSet("allowed-operations", "allowed_operations"),
        Operations("current-operations", "current_operations"),
        RefUuid("sr-uuid", "SR", "SR"),
        RefName("sr-name-label", "SR", "SR"),
        RefUuids("vbd-uuids", "VBDs", "VBD", asSet: true),
        RefUuids("crashdump-uuids", "crash_dumps", "crashdump", asSet: true),
        Text("virtual-size", "virtual_size"),
        Text("physical-utilisation", "physical_utilisation"),
        Text("location", "location"),
        Enum("type", "type", XeEnumText.VdiType),
        Bool("sharable", "sharable"),
        Bool("read-only", "read_only"),
        Bool("storage-lock", "storage_lock"),
        Bool("managed", "managed"),
        RefUuid("parent", "parent", "VDI") with { Deprecated = true },
        Bool("missing", "missing"),
        Bool("is-tools-iso", "is_tools_iso"),
        MapRw("other-config", "other_config", "VDI"),
        Map("xenstore-data", "xenstore_data") with
        {
            ClearMap = (row, ct) => row.CallAsync("VDI.set_xenstore_data", ct, row.Ref, XenValue.EmptyMap),
        },
        Map("sm-config", "sm_config"),
        Enum("on-boot", "on_boot") with { Set = SetEnum("VDI.set_on_boot", XenEnums.OnBoot.Values) },
        Bool("allow-caching", "allow_caching") with { Set = SetRawBool("VDI.set_allow_caching", "allow-caching") },
        Bool("metadata-latest", "metadata_latest"),
        new XeField { Name = "metadata-of-pool", Requires = ["metadata_of_pool"], Get = MetadataOfPoolAsync },
        Tags("tags", "tags", "VDI"),
        Bool("cbt-enabled", "cbt_enabled"),
    ];

    /// <summary>The local pool's uuid when the VDI's metadata is ours, else what the VDI's database says.</summary>
    private static async ValueTask<string?> MetadataOfPoolAsync(XeRow row, CancellationToken ct)
    {
        var pools = await row.Context.AllRecordsAsync("pool", ct);
        var local = pools.Keys.FirstOrDefault();
        var vdiPool = XeText.Of(row["metadata_of_pool"]);
        if (local == vdiPool)
        {
            return await row.Context.UuidOfAsync("pool", local, ct);
        }

        // xapi answers "" for a VDI that holds no pool database, which is every VDI whose metadata_of_pool is NULL;
        // a server without VDI.read_database_pool_uuid has no such VDIs either.
        if (XenRef.IsNull(vdiPool))
        {
            return XeContext.NotInDatabase;
        }

        var uuid = XeText.Of(await row.CallAsync("VDI.read_database_pool_uuid", ct, row.Ref));
        return uuid.Length == 0 ? XeContext.NotInDatabase : uuid;
    }
}
