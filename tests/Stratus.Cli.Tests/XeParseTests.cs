using Stratus.Cli.Xe;

namespace Stratus.Cli.Tests;

public sealed class XeParseTests
{
    [Theory]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("2GiB", 2147483648L)]
    [InlineData("2 gb", 2147483648L)]
    [InlineData("512m", 536870912L)]
    [InlineData("1K", 1024L)]
    [InlineData("3bytes", 3L)]
    [InlineData("1TiB", 1099511627776L)]
    public void Bytes_SuffixesAreBinary(string text, long expected)
    {
        Assert.Equal(expected, XeParse.Bytes("memory", text));
    }

    [Theory]
    [InlineData("2GB!")]
    [InlineData("-1")]
    [InlineData("lots")]
    [InlineData("1PiB")]
    public void Bytes_Garbage_RecordUtilsMessage(string text)
    {
        var e = Assert.Throws<XeCliFailure>(() => XeParse.Bytes("memory-static-min", text));

        Assert.Equal($"Failed to parse field 'memory-static-min': expecting an integer (possibly with suffix KiB, MiB, GiB, TiB), got '{text}'", e.Message);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("T", true)]
    [InlineData("0", false)]
    [InlineData("No", false)]
    public void Bool_RecordUtilWords(string text, bool expected)
    {
        Assert.Equal(expected, XeParse.Bool(text));
    }

    [Fact]
    public void BoolParam_Garbage_NamesTheParameter()
    {
        var e = Assert.Throws<XeCliFailure>(() => XeParse.BoolParam(new XeParams([new("force", "maybe")]), "force"));

        Assert.Equal("Failed to parse parameter 'force': Expected 'true','t','yes','y','1','false','f','no','n','0' got maybe", e.Message);
    }

    [Fact]
    public void Enum_AnyCase_DatamodelName()
    {
        Assert.Equal("coredump_and_restart", XeParse.Enum(["destroy", "coredump_and_restart"], "Coredump_And_Restart"));
        var e = Assert.Throws<XeCliFailure>(() => XeParse.Enum(["destroy", "restart"], "Explode"));
        Assert.Equal("Expected one of 'destroy', 'restart', got explode", e.Message);
    }
}
