namespace Stratus.Cloud.Persistence;

/// <summary>
/// One area's tables, as numbered migrations applied in order and recorded in <c>schema_versions</c>. An area owns
/// its tables; other areas reach its data through its interfaces, never its tables.
/// </summary>
internal interface ISchema
{
    /// <summary>The area name, e.g. <c>identity</c>.</summary>
    string Area { get; }

    /// <summary>Portable DDL, one string per version (index 0 is version 1). Never edit a shipped one: append.</summary>
    IReadOnlyList<string> Migrations { get; }
}
