using Stratus.XenApi.Schema;

namespace Stratus.Host.Database;

/// <summary>A row a transaction has written: new values, or null when it deletes the object.</summary>
internal sealed class PendingRow(XenClass cls, string reference, object?[]? values, Row? original)
{
    public XenClass Class { get; } = cls;

    public string Ref { get; } = reference;

    public object?[]? Values { get; set; } = values;

    /// <summary>The committed row this replaces; null for an object created in this transaction.</summary>
    public Row? Original { get; } = original;
}
