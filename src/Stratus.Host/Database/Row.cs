using Stratus.XenApi.Schema;

namespace Stratus.Host.Database;

/// <summary>
/// One object's committed state. Immutable: a change produces a new row, so readers (event snapshots, record
/// serialisation) never see a half-applied write. <see cref="Values"/> follows <see cref="XenClass.Fields"/>,
/// including the derived "many" sides of relations (VM.VBDs, SR.VDIs, ...).
/// </summary>
internal sealed class Row(XenClass cls, string reference, object?[] values, long created, long modified)
{
    public XenClass Class { get; } = cls;

    public string Ref { get; } = reference;

    public object?[] Values { get; } = values;

    /// <summary>The generation that created the object.</summary>
    public long Created { get; } = created;

    /// <summary>The generation of the last change (what event.from compares tokens with).</summary>
    public long Modified { get; } = modified;

    public string Uuid => Class.Uuid is { } f ? (string)Values[f.Index]! : "";

    public object? this[XenField field] => Values[field.Index];

    public object? this[string field] => Values[Class.Field(field)?.Index ?? throw new ArgumentException($"{Class.Name} has no field {field}", nameof(field))];

    public string String(string field) => (string)this[field]!;

    public long Int(string field) => (long)this[field]!;

    public bool Bool(string field) => (bool)this[field]!;

    public IReadOnlyList<object?> Set(string field) => (IReadOnlyList<object?>)this[field]!;

    public IReadOnlyDictionary<string, object?> Map(string field) => (IReadOnlyDictionary<string, object?>)this[field]!;

    /// <summary>The record as clients see it (no <c>ref</c> member), without copying.</summary>
    public XenRecord ToRecord() => new(Class, Values);
}
