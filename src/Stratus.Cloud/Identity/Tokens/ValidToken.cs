namespace Stratus.Cloud.Identity.Tokens;

/// <summary>A token that passed every check, with the principal it speaks for.</summary>
internal readonly record struct ValidToken(TokenPayload Payload, Principal Principal);
