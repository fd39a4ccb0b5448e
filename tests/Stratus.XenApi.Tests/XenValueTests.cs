namespace Stratus.XenApi.Tests;

public sealed class XenValueTests
{
    [Theory]
    [InlineData(0.25, "0.25")]
    [InlineData(1.0, "1")]
    [InlineData(100.0, "100")]
    [InlineData(1e20, "1e+20")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(123456789012345678.0, "1.234567890123457e+17")]
    [InlineData(double.NaN, "0")]
    public void FormatDouble_IsPrintfPercentPoint16G(double value, string expected) =>
        Assert.Equal(expected, XenValue.FormatDouble(value));

    [Fact]
    public void FormatDateTime_IsXapiFormWithoutDashes() =>
        Assert.Equal("20250131T13:45:07Z", XenValue.FormatDateTime(new DateTime(2025, 1, 31, 13, 45, 7, DateTimeKind.Utc)));

    [Fact]
    public void TryParseDateTime_Garbage_Fails() => Assert.False(XenValue.TryParseDateTime("yesterday", out _));

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    [InlineData(42L, "42")]
    [InlineData("OpaqueRef:x", "OpaqueRef:x")]
    [InlineData(null, "")]
    public void ToDbString_IsFilterRepresentation(object? value, string expected) => Assert.Equal(expected, XenValue.ToDbString(value));

    [Fact]
    public void XenRef_NullAndEmpty_AreNull()
    {
        Assert.True(XenRef.IsNull(XenRef.Null));
        Assert.True(XenRef.IsNull(""));
        Assert.False(XenRef.IsNull(XenRef.New()));
        Assert.StartsWith("OpaqueRef:", XenRef.New(), StringComparison.Ordinal);
        Assert.NotEqual(XenRef.New(), XenRef.New());
    }
}
