using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's console record (records.ml <c>console_record</c>).</summary>
internal static class ConsoleRecord
{
    public static XeRecordType Type { get; } = new("console", "console", Build())
    {
        DefaultListParams = ["uuid", "vm-uuid", "vm-name-label", "protocol", "location"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        RefUuid("vm-uuid", "VM", "VM"),
        RefName("vm-name-label", "VM", "VM"),
        Enum("protocol", "protocol", XeEnumText.ConsoleProtocol),
        Text("location", "location"),
        MapRw("other-config", "other_config", "console"),
    ];
}
