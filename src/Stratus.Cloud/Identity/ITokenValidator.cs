namespace Stratus.Cloud.Identity;

/// <summary>Checks a token (signature, expiry, revocation); what every API's token filter asks of Identity.</summary>
internal interface ITokenValidator
{
    /// <summary>The token's facts, or null when it is invalid, expired or revoked.</summary>
    ValueTask<TokenInfo?> ValidateAsync(string token, CancellationToken cancellationToken);
}
