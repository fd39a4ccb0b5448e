namespace Stratus.Cloud.Compute.Instances;

/// <summary>
/// Filters of GET /servers[/detail] that the store applies in SQL. Regex and address filters (name, ip) are the
/// API's to apply on the rows it gets back. Sorting defaults to created_at descending, as nova's does.
/// </summary>
internal sealed record InstanceQuery
{
    /// <summary>Only this project's servers; null for all (admin with all_tenants).</summary>
    public string? ProjectId { get; init; }

    public IReadOnlyCollection<string>? VmStates { get; init; }

    public string? ImageId { get; init; }

    public string? FlavorId { get; init; }

    public string? Host { get; init; }

    public string? ReservationId { get; init; }

    public DateTime? ChangesSince { get; init; }

    /// <summary>Include deleted servers (admin, deleted=true or changes-since).</summary>
    public bool IncludeDeleted { get; init; }

    public bool OnlyDeleted { get; init; }

    /// <summary>created_at, updated_at, display_name (name), uuid, ...; applied with <see cref="Descending"/>.</summary>
    public string SortKey { get; init; } = "created_at";

    public bool Descending { get; init; } = true;

    /// <summary>Page size; null for no limit.</summary>
    public int? Limit { get; init; }

    /// <summary>Continue after this server (keyset paging on the sort key and id).</summary>
    public Guid? Marker { get; init; }
}
