namespace Stratus.Cloud.Compute.Quotas;

/// <summary>Quota limits per project: the defaults, overridden by what an admin set.</summary>
internal interface IQuotaStore
{
    /// <summary>Every resource's limit for the project (-1 is unlimited).</summary>
    Task<IReadOnlyDictionary<string, long>> LimitsAsync(string projectId, CancellationToken cancellationToken);

    Task SetAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken cancellationToken);

    /// <summary>Back to the defaults.</summary>
    Task ResetAsync(string projectId, CancellationToken cancellationToken);
}
