namespace Stratus.Cloud.Compute.Flavors;

/// <summary>
/// The flavor catalog. The compute API reads and manages it; <c>stratus up</c> calls <see cref="EnsureAsync"/> to
/// create DevStack's flavors (m1.nano "42", m1.tiny "1", ...) when they are missing.
/// </summary>
internal interface IFlavorStore
{
    Task<Flavor?> FindAsync(string flavorId, CancellationToken cancellationToken);

    /// <summary>Every flavor with its extra specs, ordered by id.</summary>
    Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new flavor; throws <see cref="FlavorConflictException"/> when the name or id is taken.</summary>
    Task<Flavor> CreateAsync(Flavor flavor, CancellationToken cancellationToken);

    /// <summary>Returns the flavor with <paramref name="flavor"/>'s id, creating it (as given) when there is none.</summary>
    Task<Flavor> EnsureAsync(Flavor flavor, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string flavorId, CancellationToken cancellationToken);

    Task<Flavor?> SetDescriptionAsync(string flavorId, string? description, CancellationToken cancellationToken);

    /// <summary>Adds or replaces extra specs; null when the flavor does not exist.</summary>
    Task<Flavor?> SetExtraSpecsAsync(string flavorId, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken);

    /// <summary>Removes one extra spec; false when the flavor or the key does not exist.</summary>
    Task<bool> DeleteExtraSpecAsync(string flavorId, string key, CancellationToken cancellationToken);
}
