using System.Collections.Frozen;
using Stratus.Cli.Xe.Records;

namespace Stratus.Cli.Xe.Commands;

/// <summary>
/// Every command this xe knows (cli_frontend.ml <c>cmdtable</c>): the generated per-class commands and the
/// hand-written ones.
/// </summary>
internal static class XeCommandTable
{
    /// <summary>The CLI classes, in cli_operations.ml <c>gen_cmds</c> order.</summary>
    public static IReadOnlyList<XeRecordType> Classes { get; } =
    [
        PoolRecord.Type, PifRecord.Type, VifRecord.Type, NetworkRecord.Type, ConsoleRecord.Type, VmRecord.Vm, VmRecord.Template,
        VmRecord.Snapshot, HostRecord.Type, VdiRecord.Type, VbdRecord.Type, SrRecord.Type, PbdRecord.Type, TaskRecord.Type,
        MessageRecord.Type,
    ];

    public static FrozenDictionary<string, XeCommandSpec> All { get; } = Build();

    private static FrozenDictionary<string, XeCommandSpec> Build()
    {
        var table = new Dictionary<string, XeCommandSpec>(StringComparer.Ordinal);
        foreach (var spec in VmCommands.All().Concat(StorageCommands.All()).Concat(NetworkCommands.All()).Concat(Classes.SelectMany(XeClassCommands.For)))
        {
            table.TryAdd(spec.Name, spec);
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
