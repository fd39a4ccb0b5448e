using Stratus.XenApi.Schema;

namespace Stratus.Host.Database;

/// <summary>The committed rows of one class, by ref and by uuid.</summary>
internal sealed class Table(XenClass cls)
{
    public XenClass Class { get; } = cls;

    public Dictionary<string, Row> Rows { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> RefByUuid { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Put(Row row)
    {
        if (Rows.TryGetValue(row.Ref, out var old) && old.Uuid != row.Uuid)
        {
            RefByUuid.Remove(old.Uuid);
        }

        Rows[row.Ref] = row;
        if (row.Uuid.Length > 0)
        {
            RefByUuid[row.Uuid] = row.Ref;
        }
    }

    public void Remove(string reference)
    {
        if (Rows.Remove(reference, out var old))
        {
            RefByUuid.Remove(old.Uuid);
        }
    }
}
