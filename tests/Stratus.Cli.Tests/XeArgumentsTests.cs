using Stratus.Cli.Xe;

namespace Stratus.Cli.Tests;

public sealed class XeArgumentsTests
{
    [Fact]
    public void Parse_ConnectionOptions_TakenOutAndTheRestKeptInOrder()
    {
        var settings = new XeSettings();

        var rest = XeArguments.Parse(settings,
            ["vm-list", "-s", "10.0.0.2", "-p", "8080", "-u", "admin", "-pw", "a b=c", "--nossl", "--minimal", "name-label=my vm", "@file", "--", "x=y=z"],
            null, []);

        Assert.Equal(["vm-list", "--minimal", "name-label=my vm", "@file", "--", "x=y=z"], rest);
        Assert.Equal("10.0.0.2", settings.Server);
        Assert.Equal(8080, settings.Port);
        Assert.Equal("admin", settings.Username);
        Assert.Equal("a b=c", settings.Password);
        Assert.False(settings.UseSsl);
    }

    [Fact]
    public void Parse_KeywordForms_SetTheConnection()
    {
        var settings = new XeSettings();

        var rest = XeArguments.Parse(settings, ["vm-list", "server=h", "port=81", "username=u", "password=p", "nossl=true", "uuid=x"], null, []);

        Assert.Equal(["vm-list", "uuid=x"], rest);
        Assert.Equal(("h", 81, "u", "p", false), (settings.Server, settings.Port, settings.Username, settings.Password, settings.UseSsl));
    }

    [Fact]
    public void Parse_NoOptions_DefaultsAreNewcliDefaults()
    {
        var settings = new XeSettings();

        XeArguments.Parse(settings, ["vm-list"], null, []);

        Assert.Equal(("127.0.0.1", (int?)null, "root", "null", true), (settings.Server, settings.Port, settings.Username, settings.Password, settings.UseSsl));
    }

    [Fact]
    public void Parse_DashHWithValue_IsTheServer()
    {
        var settings = new XeSettings();

        XeArguments.Parse(settings, ["vm-list", "-h", "xs1"], null, []);

        Assert.Equal("xs1", settings.Server);
    }

    [Fact]
    public void Parse_HelpAnywhere_RequestsUsage()
    {
        Assert.Throws<XeUsageRequestedException>(() => XeArguments.Parse(new XeSettings(), ["vm-list", "--help"], null, []));
    }

    [Fact]
    public void Parse_BadPort_RequestsUsageWithTheMessage()
    {
        var e = Assert.Throws<XeUsageRequestedException>(() => XeArguments.Parse(new XeSettings(), ["vm-list", "-p", "99999"], null, []));

        Assert.Equal("Port number must be an integer (0-65535)\n", e.Detail);
    }

    [Fact]
    public void Parse_CommandLineBeatsExtraArgsBeatsRcFile()
    {
        var settings = new XeSettings();
        var rc = XeArguments.ParseRc("server=rc-host\nusername=rc-user\npassword=rc-pw\n\ncolour=blue\n", TextWriter.Null);

        var rest = XeArguments.Parse(settings, ["vm-list", "-u", "cli-user"], "-s,extra-host,uuid=a\\,b", rc);

        Assert.Equal(("extra-host", "cli-user", "rc-pw"), (settings.Server, settings.Username, settings.Password));
        Assert.Equal(["vm-list", "uuid=a,b", "colour=blue"], rest);
    }

    [Fact]
    public void ParseRc_LineWithoutEquals_DiscardsTheFileWithAWarning()
    {
        var stderr = new StringWriter();

        var rc = XeArguments.ParseRc("server=h\nnonsense\n", stderr);

        Assert.Empty(rc);
        Assert.Equal("Error parsing rc file. No defaults loaded\n", stderr.ToString());
    }

    [Theory]
    [InlineData("a,b", new[] { "a", "b" })]
    [InlineData("a\\,b,c", new[] { "a,b", "c" })]
    [InlineData(",a,,b", new[] { "a", "b" })]
    [InlineData("", new string[0])]
    public void SplitExtraArgs_CommasAndEscapes_SplitAsNewcli(string extra, string[] expected)
    {
        Assert.Equal(expected, XeArguments.SplitExtraArgs(extra));
    }

    [Fact]
    public void ReadPasswordFile_TwoLines_UserAndPassword()
    {
        var path = Path.Combine(Path.GetTempPath(), $"xe-pwf-{Guid.NewGuid():N}");
        File.WriteAllText(path, "admin\nsecret\n");
        try
        {
            var settings = new XeSettings { PasswordFile = path };

            XeArguments.ReadPasswordFile(settings);

            Assert.Equal(("admin", "secret"), (settings.Username, settings.Password));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadPasswordFile_Missing_ExitsWithNewclisMessage()
    {
        var settings = new XeSettings { PasswordFile = "/nonexistent/xe-pwf" };

        var e = Assert.Throws<XeExitException>(() => XeArguments.ReadPasswordFile(settings));

        Assert.Equal((1, "Error opening password file '/nonexistent/xe-pwf'\n"), (e.ExitCode, e.StderrText));
    }
}
