using Stratus.Cli.Xe;

namespace Stratus.Cli.Tests;

public sealed class XeCommandLineTests
{
    [Fact]
    public void Parse_MixedTokens_KeyValuesFlagsAndSwitchesInOrder()
    {
        var line = XeCommandLine.Parse(["vm-param-set", "uuid=u", "other-config:k=a=b", "--force", "-u", "root", "bare", "name-label=", "x"]);

        Assert.Equal("vm-param-set", line.Name);
        Assert.Equal(
            [new("uuid", "u"), new("other-config:k", "a=b"), new("force", "true"), new("username", "root"), new("bare", ""), new("name-label", ""), new("x", "")],
            line.Parameters);
    }

    [Fact]
    public void Parse_CommandNameWithEquals_IsMissingCommandName()
    {
        var e = Assert.Throws<XeUsageException>(() => XeCommandLine.Parse(["uuid=x"]));

        Assert.Equal(("Syntax error", "command name is missing"), (e.Prefix, e.Detail));
    }

    [Theory]
    [InlineData("-x", "1")]
    [InlineData("-s")]
    public void Parse_UnknownOrIncompleteSwitch_IsABareSyntaxError(params string[] tail)
    {
        var e = Assert.Throws<XeUsageException>(() => XeCommandLine.Parse(["vm-list", .. tail]));

        Assert.Equal(("Syntax error", ""), (e.Prefix, e.Detail));
    }

    [Fact]
    public void Params_RepeatedKey_FirstWinsAndMapsCollectByPrefix()
    {
        var p = new XeParams([new("a", "1"), new("a", "2"), new("device-config:server", "s"), new("device-config-path", "/p"), new("device-config", "x")]);

        Assert.Equal("1", p.Get("a"));
        Assert.Equal([new("server", "s"), new("path", "/p")], p.Map("device-config"));
        Assert.Equal("2", p.Without("a").Get("a"));
    }
}
