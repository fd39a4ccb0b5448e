namespace Stratus.Cloud.Identity.Tokens;

/// <summary>A token signing secret (32 random bytes) and its number, which each token names.</summary>
internal sealed record SigningKey(ushort Id, byte[] Secret);
