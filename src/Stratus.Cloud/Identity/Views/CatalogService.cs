namespace Stratus.Cloud.Identity.Views;

/// <summary>One service in the catalog, with one URL used for its public, internal and admin endpoints.</summary>
internal sealed record CatalogService(string Id, string Type, string Name, string Url)
{
    public static readonly IReadOnlyList<string> Interfaces = ["public", "internal", "admin"];
}
