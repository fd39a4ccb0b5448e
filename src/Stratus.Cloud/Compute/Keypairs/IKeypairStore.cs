namespace Stratus.Cloud.Compute.Keypairs;

/// <summary>Key pairs per user (os-keypairs; the boot's key_name is looked up here).</summary>
internal interface IKeypairStore
{
    Task<Keypair?> FindAsync(string userId, string name, CancellationToken cancellationToken);

    /// <summary>A user's key pairs ordered by name, after <paramref name="marker"/> (a name) when given.</summary>
    Task<IReadOnlyList<Keypair>> ListAsync(string userId, string? marker, int? limit, CancellationToken cancellationToken);

    Task<int> CountAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Stores a key pair; null when the user already has one with that name.</summary>
    Task<Keypair?> CreateAsync(string userId, string name, string type, string publicKey, string fingerprint, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string userId, string name, CancellationToken cancellationToken);
}
