namespace Stratus.Cloud.Compute.Keypairs;

/// <summary>An SSH or X.509 key pair of a user (nova key_pairs): name unique per user, public key and its fingerprint.</summary>
internal sealed record Keypair(long Id, string UserId, string Name, string Type, string PublicKey, string Fingerprint, DateTime CreatedAt);
