using System.Globalization;

namespace Stratus.XenApi.Schema;

/// <summary>
/// A XenAPI type (datamodel_types.ml). <see cref="Coerce"/> turns a value as it arrived on either wire
/// (XML-RPC sends ints as strings, JSON as numbers; enums in any case) into its canonical in-memory form:
/// string, long, double, bool, UTC DateTime, canonical enum string, ref string,
/// <see cref="IReadOnlyList{T}"/> for sets and <see cref="IReadOnlyDictionary{TKey,TValue}"/> for maps and records.
/// </summary>
public sealed class XenType
{
    public static readonly XenType String = new(XenTypeKind.String);
    public static readonly XenType Int = new(XenTypeKind.Int);
    public static readonly XenType Float = new(XenTypeKind.Float);
    public static readonly XenType Bool = new(XenTypeKind.Bool);
    public static readonly XenType DateTime = new(XenTypeKind.DateTime);
    public static readonly XenType Void = new(XenTypeKind.Void);
    public static readonly XenType Any = new(XenTypeKind.Any);

    private XenType(XenTypeKind kind, XenType? element = null, XenType? key = null, XenEnum? @enum = null, string? className = null)
    {
        Kind = kind;
        Element = element;
        Key = key;
        Enum = @enum;
        ClassName = className;
    }

    public XenTypeKind Kind { get; }

    /// <summary>The element type of a set, or the value type of a map.</summary>
    public XenType? Element { get; }

    /// <summary>The key type of a map.</summary>
    public XenType? Key { get; }

    public XenEnum? Enum { get; }

    /// <summary>The class of a ref or record.</summary>
    public string? ClassName { get; }

    public bool IsRefSet => Kind == XenTypeKind.Set && Element!.Kind == XenTypeKind.Ref;

    public static XenType SetOf(XenType element) => new(XenTypeKind.Set, element: element);

    public static XenType MapOf(XenType key, XenType value) => new(XenTypeKind.Map, element: value, key: key);

    public static XenType RefTo(string className) => new(XenTypeKind.Ref, className: className);

    public static XenType RecordOf(string className) => new(XenTypeKind.Record, className: className);

    public static XenType EnumOf(XenEnum @enum) => new(XenTypeKind.Enum, @enum: @enum);

    /// <summary>The value a field of this type holds when nobody set it.</summary>
    public object? Zero => Kind switch
    {
        XenTypeKind.String => "",
        XenTypeKind.Int => 0L,
        XenTypeKind.Float => 0.0,
        XenTypeKind.Bool => false,
        XenTypeKind.DateTime => System.DateTime.UnixEpoch,
        XenTypeKind.Enum => Enum!.Values[0],
        XenTypeKind.Ref => XenRef.Null,
        XenTypeKind.Set => XenValue.EmptySet,
        XenTypeKind.Map => XenValue.EmptyMap,
        _ => null,
    };

    /// <summary>
    /// Converts a wire value to this type's canonical form, or throws <c>FIELD_TYPE_ERROR [name]</c>
    /// (<c>INVALID_VALUE [name, value]</c> for an unknown enum member).
    /// </summary>
    public object? Coerce(object? value, string name)
    {
        switch (Kind)
        {
            case XenTypeKind.Any:
                return value;
            case XenTypeKind.String:
                return value switch
                {
                    string s => s,
                    null => "",
                    _ => throw TypeError(name),
                };
            case XenTypeKind.Int:
                return value switch
                {
                    long l => l,
                    int i => (long)i,
                    double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
                    string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
                    _ => throw TypeError(name),
                };
            case XenTypeKind.Float:
                return value switch
                {
                    double d => d,
                    long l => (double)l,
                    int i => (double)i,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                    _ => throw TypeError(name),
                };
            case XenTypeKind.Bool:
                return value switch
                {
                    bool b => b,
                    string s when s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1" => true,
                    string s when s.Equals("false", StringComparison.OrdinalIgnoreCase) || s == "0" => false,
                    _ => throw TypeError(name),
                };
            case XenTypeKind.DateTime:
                return value switch
                {
                    System.DateTime dt => dt.ToUniversalTime(),
                    string s when XenValue.TryParseDateTime(s, out var dt) => dt,
                    _ => throw TypeError(name),
                };
            case XenTypeKind.Enum:
                if (value is not string text)
                {
                    throw TypeError(name);
                }

                return Enum!.TryCanonical(text, out var canonical)
                    ? canonical
                    : throw new XenApiFailure(XenErrors.InvalidValue, name, text);
            case XenTypeKind.Ref:
                return value switch
                {
                    null or "" => XenRef.Null,
                    string s => s,
                    _ => throw TypeError(name),
                };
            case XenTypeKind.Set:
                if (value is not IReadOnlyList<object?> items)
                {
                    throw TypeError(name);
                }

                var set = new object?[items.Count];
                for (var i = 0; i < items.Count; i++)
                {
                    set[i] = Element!.Coerce(items[i], name);
                }

                return set;
            case XenTypeKind.Map:
                if (value is not IReadOnlyDictionary<string, object?> pairs)
                {
                    throw TypeError(name);
                }

                var map = new Dictionary<string, object?>(pairs.Count, StringComparer.Ordinal);
                foreach (var (k, v) in pairs)
                {
                    // Keys travel as strings on both wires; check they parse as the key type.
                    Key!.Coerce(k, name);
                    map[k] = Element!.Coerce(v, name);
                }

                return map;
            case XenTypeKind.Record:
                if (value is not IReadOnlyDictionary<string, object?> fields)
                {
                    throw TypeError(name);
                }

                var cls = XenModel.Find(ClassName!) ?? throw TypeError(name);
                return cls.CoerceConstructorRecord(fields);
            default:
                throw TypeError(name);
        }
    }

    private static XenApiFailure TypeError(string name) => new(XenErrors.FieldTypeError, name);

    /// <summary>The datamodel's spelling, e.g. <c>(string -&gt; string) map</c> or <c>VM ref set</c>.</summary>
    public override string ToString() => Kind switch
    {
        XenTypeKind.String => "string",
        XenTypeKind.Int => "int",
        XenTypeKind.Float => "float",
        XenTypeKind.Bool => "bool",
        XenTypeKind.DateTime => "datetime",
        XenTypeKind.Void => "void",
        XenTypeKind.Any => "any",
        XenTypeKind.Enum => $"enum {Enum!.Name}",
        XenTypeKind.Ref => $"{ClassName} ref",
        XenTypeKind.Record => $"{ClassName} record",
        XenTypeKind.Set => $"{Element} set",
        XenTypeKind.Map => $"({Key} -> {Element}) map",
        _ => Kind.ToString(),
    };
}
