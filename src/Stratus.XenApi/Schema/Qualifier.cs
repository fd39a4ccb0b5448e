namespace Stratus.XenApi.Schema;

/// <summary>Who may write a field (XenAPI datamodel qualifiers).</summary>
public enum Qualifier
{
    /// <summary>Read-write: a generated <c>set_f</c> exists and constructors take it.</summary>
    RW,

    /// <summary>RO/constructor: set at creation (or by a dedicated message), never by a generic setter.</summary>
    StaticRO,

    /// <summary>RO/runtime: owned by the server.</summary>
    DynamicRO,
}
