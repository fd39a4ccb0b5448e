namespace Stratus.XenApi.Schema;

/// <summary>A field of a XenAPI class, under its flattened wire name (<c>name_label</c>, <c>memory_static_max</c>).</summary>
public sealed class XenField
{
    public XenField(string name, XenType type, Qualifier qualifier, object? defaultValue = null, bool hasDefault = false, bool deprecated = false)
    {
        Name = name;
        Type = type;
        Qualifier = qualifier;
        Default = defaultValue is "{}" ? type.Zero : defaultValue ?? type.Zero;
        HasDefault = hasDefault;
        Deprecated = deprecated;
    }

    public string Name { get; }

    public XenType Type { get; }

    public Qualifier Qualifier { get; }

    /// <summary>The value the field takes when a constructor omits it.</summary>
    public object? Default { get; }

    /// <summary>Whether the datamodel declares a default (otherwise constructors should pass it).</summary>
    public bool HasDefault { get; }

    public bool Deprecated { get; }

    /// <summary>Position in <see cref="XenClass.Fields"/>, set when the class is built.</summary>
    public int Index { get; internal set; }

    public XenClass Class { get; internal set; } = null!;

    /// <summary>Whether constructors (<c>C.create</c>) take this field.</summary>
    public bool IsConstructorField => Qualifier != Qualifier.DynamicRO;

    /// <summary>The database column name used by <c>get_all_records_where</c>: namespaces joined by <c>__</c>.</summary>
    public string ColumnName { get; internal set; } = "";

    public override string ToString() => $"{Class.Name}.{Name}";
}
