using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's PBD record (records.ml <c>pbd_record</c>); device-config is read-only after creation.</summary>
internal static class PbdRecord
{
    public static XeRecordType Type { get; } = new("pbd", "PBD", Build())
    {
        DefaultListParams = ["uuid", "host-uuid", "sr-uuid", "device-config", "currently-attached"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        RefUuid("host", "host", "host") with { Deprecated = true },
        RefUuid("host-uuid", "host", "host"),
        RefName("host-name-label", "host", "host"),
        RefUuid("sr-uuid", "SR", "SR"),
        RefName("sr-name-label", "SR", "SR"),
        Map("device-config", "device_config"),
        Bool("currently-attached", "currently_attached"),
        MapRw("other-config", "other_config", "PBD"),
    ];
}
