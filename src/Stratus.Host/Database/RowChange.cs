namespace Stratus.Host.Database;

/// <summary>One committed change as the persistence layer sees it: the new row, or a deletion.</summary>
internal readonly record struct RowChange(string Ref, Row? Row, Stratus.XenApi.Schema.XenClass Class)
{
    public bool IsDelete => Row is null;
}
