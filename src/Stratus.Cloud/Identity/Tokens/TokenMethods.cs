namespace Stratus.Cloud.Identity.Tokens;

/// <summary>The auth methods a token was obtained with (keystone's token <c>methods</c>), as bits in the token.</summary>
[Flags]
internal enum TokenMethods : byte
{
    None = 0,
    Password = 1,
    Token = 2,
}
