using Stratus.Cloud.Identity.Tokens;

namespace Stratus.Cloud.Tests.Identity;

public sealed class TokenCodecTests
{
    private static readonly TokenPayload Scoped = new(
        UserId: UInt128.Parse("123456789", System.Globalization.CultureInfo.InvariantCulture),
        ProjectId: 42,
        Methods: TokenMethods.Password | TokenMethods.Token,
        IssuedAt: 1_777_636_800_123_456,
        ExpiresAt: 1_777_640_400_123_456,
        AuditId: TokenPayload.NewAuditId(),
        ParentAuditId: TokenPayload.NewAuditId());

    [Fact]
    public void TryDecode_EncodedScopedToken_RoundTripsEveryField()
    {
        var codec = Codec(1);

        var token = codec.Encode(Scoped);

        Assert.True(codec.TryDecode(token, out var decoded));
        Assert.Equal(Scoped, decoded);
        Assert.True(token.Length <= 160, $"token is {token.Length} characters");
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void TryDecode_UnscopedTokenWithoutParent_HasNoProjectAndOneAuditId()
    {
        var codec = Codec(1);
        var unscoped = Scoped with { ProjectId = 0, ParentAuditId = 0, Methods = TokenMethods.Password };

        Assert.True(codec.TryDecode(codec.Encode(unscoped), out var decoded));

        Assert.False(decoded.IsProjectScoped);
        Assert.Null(decoded.ProjectIdText);
        Assert.Single(decoded.AuditIds);
        Assert.Equal(["password"], decoded.MethodNames);
    }

    [Fact]
    public void TryDecode_AnyCharacterChanged_Fails()
    {
        var codec = Codec(1);
        var token = codec.Encode(Scoped);

        for (var i = 0; i < token.Length; i++)
        {
            var chars = token.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            Assert.False(codec.TryDecode(new string(chars), out _), $"a change at {i} went unnoticed");
        }
    }

    [Fact]
    public void TryDecode_SignedWithAnotherSecret_Fails()
    {
        var token = Codec(1).Encode(Scoped);

        Assert.False(Codec(1).TryDecode(token, out _));
    }

    [Fact]
    public void TryDecode_KeyIdUnknown_FailsButOlderLoadedKeysStillVerify()
    {
        var old = new SigningKey(1, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var signer = new TokenCodec();
        signer.Load([old]);
        var token = signer.Encode(Scoped);
        var rotated = new TokenCodec();
        rotated.Load([old, new SigningKey(2, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))]);
        var unrelated = Codec(7);

        Assert.True(rotated.TryDecode(token, out _));
        Assert.False(unrelated.TryDecode(token, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("AQABAQF5")]
    [InlineData("gAAAAABkZXZzdGFjay1mZXJuZXQtdG9rZW4tbG9va3MtbGlrZS10aGlz")]
    public void TryDecode_Malformed_Fails(string token) => Assert.False(Codec(1).TryDecode(token, out _));

    [Fact]
    public void TryDecode_LongerThanAnyToken_FailsWithoutDecoding() =>
        Assert.False(Codec(1).TryDecode(new string('A', TokenCodec.MaxTokenLength + 1), out _));

    [Fact]
    public void Encode_NoKeyLoaded_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new TokenCodec().Encode(Scoped));

    [Fact]
    public void AuditIdText_Is22UrlSafeCharactersAndParsesBack()
    {
        var text = TokenPayload.AuditIdText(Scoped.AuditId);

        Assert.Equal(22, text.Length);
        Assert.True(IdentityCache.TryParseAuditId(text, out var parsed));
        Assert.Equal(Scoped.AuditId, parsed);
    }

    private static TokenCodec Codec(ushort keyId)
    {
        var codec = new TokenCodec();
        codec.Load([new SigningKey(keyId, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))]);
        return codec;
    }
}
