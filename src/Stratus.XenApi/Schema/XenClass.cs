namespace Stratus.XenApi.Schema;

/// <summary>A XenAPI class: its fields in datamodel order and how the server stores it.</summary>
public sealed class XenClass
{
    // Datamodel namespaces (name, memory, VCPUs, ...) are flattened with "_" on the wire and with "__" in
    // database column names, which get_all_records_where filters on (idl/escaping.ml).
    private static readonly string[] Namespaces = ["name_", "memory_", "VCPUs_", "actions_", "PV_", "HVM_", "API_version_", "qos_", "io_"];

    private readonly Dictionary<string, XenField> _byName;
    private readonly Dictionary<string, XenField> _byColumn;

    public XenClass(string name, bool persist, bool events, bool inDatabase, IReadOnlyList<XenField> fields)
    {
        Name = name;
        Persist = persist;
        Events = events;
        InDatabase = inDatabase;
        Fields = fields;
        for (var i = 0; i < fields.Count; i++)
        {
            fields[i].Index = i;
            fields[i].Class = this;
            fields[i].ColumnName = ColumnOf(fields[i].Name);
        }

        _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        _byColumn = fields.ToDictionary(f => f.ColumnName, StringComparer.Ordinal);
        Uuid = _byName.GetValueOrDefault("uuid");
        NameLabel = _byName.GetValueOrDefault("name_label");
    }

    /// <summary>The class name in the datamodel's case (<c>VM</c>, <c>host</c>, <c>VM_metrics</c>).</summary>
    public string Name { get; }

    /// <summary>The lowercase name used by events and <c>valid_ref_counts</c>.</summary>
    public string EventName => Name.ToLowerInvariant();

    /// <summary>Whether rows survive a restart of the agent (sessions and tasks do not, as in xapi).</summary>
    public bool Persist { get; }

    /// <summary>Whether changes are delivered by <c>event.from</c>.</summary>
    public bool Events { get; }

    /// <summary>Whether the class has database rows at all (event has none).</summary>
    public bool InDatabase { get; }

    public IReadOnlyList<XenField> Fields { get; }

    public XenField? Uuid { get; }

    public XenField? NameLabel { get; }

    public XenField? Field(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Finds a field by its filter column name (<c>name__label</c>), or by its wire name.</summary>
    public XenField? FieldByColumn(string column) => _byColumn.GetValueOrDefault(column) ?? _byName.GetValueOrDefault(column);

    /// <summary>
    /// Coerces a constructor record (<c>VM.create</c>, <c>VDI.create</c>, ...) into a full set of constructor fields:
    /// every RW and RO/constructor field, taken from the record or defaulted. Runtime fields are ignored.
    /// </summary>
    public IReadOnlyDictionary<string, object?> CoerceConstructorRecord(IReadOnlyDictionary<string, object?> record)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!field.IsConstructorField)
            {
                continue;
            }

            result[field.Name] = record.TryGetValue(field.Name, out var value)
                ? field.Type.Coerce(value, field.Name)
                : field.Default;
        }

        return result;
    }

    public override string ToString() => Name;

    private static string ColumnOf(string field)
    {
        foreach (var ns in Namespaces)
        {
            if (field.StartsWith(ns, StringComparison.Ordinal) && field.Length > ns.Length)
            {
                return string.Concat(ns.AsSpan(0, ns.Length - 1), "__", field.AsSpan(ns.Length));
            }
        }

        return field;
    }
}
