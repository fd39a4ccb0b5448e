using Stratus.XenApi.Schema;
using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's network record (records.ml <c>net_record</c>).</summary>
internal static class NetworkRecord
{
    public static XeRecordType Type { get; } = new("network", "network", Build())
    {
        DefaultListParams = ["uuid", "name-label", "name-description", "bridge"],
        StandardList = true,
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name-label", "name_label") with { Set = SetText("network.set_name_label") },
        Text("name-description", "name_description") with { Set = SetText("network.set_name_description") },
        RefUuids("VIF-uuids", "VIFs", "VIF", asSet: true),
        RefUuids("PIF-uuids", "PIFs", "PIF", asSet: true),
        Text("MTU", "MTU") with { Set = SetRawInt("network.set_MTU") },
        Text("bridge", "bridge"),
        Bool("managed", "managed"),
        MapRw("other-config", "other_config", "network"),
        RefMap("blobs", "blobs", "blob"),
        Tags("tags", "tags", "network"),
        Enum("default-locking-mode", "default_locking_mode") with { Set = SetEnum("network.set_default_locking_mode", XenEnums.NetworkDefaultLockingMode.Values) },
        new XeField
        {
            Name = "purpose",
            Requires = ["purpose"],
            Get = (row, _) => new(XeText.JoinComma(XeText.Set(row["purpose"]))),
            GetSet = (row, _) => new(XeText.Set(row["purpose"])),
            AddToSet = (row, value, ct) => row.CallAsync("network.add_purpose", ct, row.Ref, XeParse.Enum(XenEnums.NetworkPurpose.Values, value)),
            RemoveFromSet = (row, value, ct) => row.CallAsync("network.remove_purpose", ct, row.Ref, XeParse.Enum(XenEnums.NetworkPurpose.Values, value)),
        },
    ];
}
