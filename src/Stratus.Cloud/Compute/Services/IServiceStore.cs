namespace Stratus.Cloud.Compute.Services;

/// <summary>The services table: the conductor registers hosts and records heartbeats; os-services and os-hypervisors read it.</summary>
internal interface IServiceStore
{
    Task<IReadOnlyList<ServiceRecord>> ListAsync(CancellationToken cancellationToken);

    Task<ServiceRecord?> FindAsync(long id, CancellationToken cancellationToken);

    Task<ServiceRecord?> FindAsync(Guid uuid, CancellationToken cancellationToken);

    Task<ServiceRecord?> FindAsync(string binary, string host, CancellationToken cancellationToken);

    /// <summary>Adds a service, or returns the existing one for (binary, host).</summary>
    Task<ServiceRecord> EnsureAsync(string binary, string host, string zone, HostConnection? connection, CancellationToken cancellationToken);

    /// <summary>Applies a change (null from <paramref name="change"/>: none); UpdatedAt moves on.</summary>
    Task<ServiceRecord?> UpdateAsync(long id, Func<ServiceRecord, ServiceRecord?> change, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);
}
