namespace Stratus.XenApi.Schema;

public enum XenTypeKind
{
    String,
    Int,
    Float,
    Bool,
    DateTime,
    Enum,
    Ref,
    Set,
    Map,
    Record,
    Void,

    /// <summary>A structured value with no schema of its own (event.from's batch).</summary>
    Any,
}
