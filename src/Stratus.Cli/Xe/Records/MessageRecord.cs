using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's message record (records.ml <c>message_record</c>): every field is listed by default.</summary>
internal static class MessageRecord
{
    public static XeRecordType Type { get; } = new("message", "message", Build());

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name", "name"),
        Text("priority", "priority"),
        Enum("class", "cls"),
        Text("obj-uuid", "obj_uuid"),
        Text("timestamp", "timestamp"),
        Text("body", "body"),
    ];
}
