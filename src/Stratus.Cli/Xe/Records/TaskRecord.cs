using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's task record (records.ml <c>task_record</c>), with its historical underscore names.</summary>
internal static class TaskRecord
{
    public static XeRecordType Type { get; } = new("task", "task", Build())
    {
        DefaultListParams = ["uuid", "name-label", "name-description", "status", "progress"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name-label", "name_label"),
        Text("name-description", "name_description"),
        RefUuid("subtask_of", "subtask_of", "task"),
        RefUuids("subtasks", "subtasks", "task"),
        RefUuid("resident-on", "resident_on", "host"),
        Enum("status", "status"),
        Float("progress", "progress"),
        Text("type", "type"),
        Text("result", "result"),
        Text("created", "created"),
        Text("finished", "finished"),
        Strings("error_info", "error_info"),
        EnumSet("allowed_operations", "allowed_operations", XeEnumText.Capitalized, asSet: false),
        Operations("current_operations", "current_operations", XeEnumText.Capitalized, asSet: false),
        MapRw("other-config", "other_config", "task"),
    ];
}
