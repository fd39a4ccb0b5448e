using Stratus.Cloud.Identity.Passwords;

namespace Stratus.Cloud.Tests.Identity;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_SamePasswordTwice_DifferentSaltsBothVerify()
    {
        var first = PasswordHasher.Hash("correct horse");
        var second = PasswordHasher.Hash("correct horse");

        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.Verify("correct horse", first));
        Assert.True(PasswordHasher.Verify("correct horse", second));
    }

    [Fact]
    public void Hash_Format_NamesSchemeAndIterationsAndHidesThePassword()
    {
        var hash = PasswordHasher.Hash("s3cret-Password");

        var parts = hash.Split('$');
        Assert.Equal("pbkdf2-sha512", parts[0]);
        Assert.Equal(PasswordHasher.DefaultIterations.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(64, Convert.FromBase64String(parts[3]).Length);
        Assert.DoesNotContain("s3cret", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.DefaultIterations >= 210_000);
    }

    [Theory]
    [InlineData("correct horsf")]
    [InlineData("")]
    [InlineData("CORRECT HORSE")]
    public void Verify_WrongPassword_False(string attempt) =>
        Assert.False(PasswordHasher.Verify(attempt, PasswordHasher.Hash("correct horse", iterations: 1000)));

    [Fact]
    public void Verify_HashWithOtherIterationCount_UsesTheStoredParameters()
    {
        var cheap = PasswordHasher.Hash("pw", iterations: 1000);

        Assert.True(PasswordHasher.Verify("pw", cheap));
        Assert.StartsWith("pbkdf2-sha512$1000$", cheap, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("pbkdf2-sha512$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha512$1000$not-base64!$AAAA")]
    [InlineData("md5$1000$AAAA$AAAA")]
    public void Verify_MissingOrMalformedHash_False(string? stored) => Assert.False(PasswordHasher.Verify("plaintext", stored));
}
