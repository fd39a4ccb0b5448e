namespace Stratus.XenApi.Schema;

/// <summary>The XenAPI classes Stratus serves, and the relations whose "many" side the server derives.</summary>
public static partial class XenModel
{
    private static readonly Lazy<Registry> Classes = new(() => new Registry());

    /// <summary>Every class, in the order <c>system.listMethods</c> and the CLI present them.</summary>
    public static IReadOnlyList<XenClass> All => Classes.Value.All;

    /// <summary>
    /// One-to-many relations (datamodel.ml <c>all_relations</c>): the child's ref field and the parent's set field
    /// that lists the children. The set field is never stored; it is derived from the children.
    /// </summary>
    public static IReadOnlyList<XenRelation> Relations => Classes.Value.Relations;

    /// <summary>Finds a class by name, case-insensitively (event subscriptions are lowercase).</summary>
    public static XenClass? Find(string name) => Classes.Value.ByName.GetValueOrDefault(name);

    private sealed class Registry
    {
        public Registry()
        {
            All =
            [
                Session, Pool, Host, HostMetrics, HostCpu, VM, VMMetrics, VMGuestMetrics, SR, PBD, VDI, VBD, VBDMetrics,
                Network, VIF, VIFMetrics, PIF, PIFMetrics, Console, Task, Event, Message, SM, Role, User,
            ];
            ByName = All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            Relations =
            [
                Relate(VM, "snapshot_of", VM, "snapshots"),
                Relate(VDI, "snapshot_of", VDI, "snapshots"),
                Relate(VM, "parent", VM, "children"),
                Relate(Task, "subtask_of", Task, "subtasks"),
                Relate(PBD, "host", Host, "PBDs"),
                Relate(PBD, "SR", SR, "PBDs"),
                Relate(VBD, "VDI", VDI, "VBDs"),
                Relate(VBD, "VM", VM, "VBDs"),
                Relate(VIF, "VM", VM, "VIFs"),
                Relate(VIF, "network", Network, "VIFs"),
                Relate(PIF, "host", Host, "PIFs"),
                Relate(PIF, "network", Network, "PIFs"),
                Relate(VDI, "SR", SR, "VDIs"),
                Relate(Console, "VM", VM, "consoles"),
                Relate(VM, "resident_on", Host, "resident_VMs"),
                Relate(HostCpu, "host", Host, "host_CPUs"),
            ];
        }

        public IReadOnlyList<XenClass> All { get; }

        public Dictionary<string, XenClass> ByName { get; }

        public IReadOnlyList<XenRelation> Relations { get; }

        private static XenRelation Relate(XenClass child, string childField, XenClass parent, string parentField) =>
            new(child.Field(childField) ?? throw new InvalidOperationException($"{child.Name} has no field {childField}"),
                parent.Field(parentField) ?? throw new InvalidOperationException($"{parent.Name} has no field {parentField}"));
    }
}
