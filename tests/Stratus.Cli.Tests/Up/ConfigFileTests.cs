using Stratus.Cli.Up;

namespace Stratus.Cli.Tests.Up;

public sealed class ConfigFileTests
{
    private static readonly UpSettings Defaults = new() { DataDirectory = "/tmp/stratus-config-test" };

    [Fact]
    public void ReadLocalrc_SeedsHereDocument_TakesAssignmentsOnly()
    {
        var pairs = ConfigFile.ReadLocalrc("""
            cat > ./localrc <<EOF
            # DevStack for XenServer
            ADMIN_PASSWORD=citrix
            export XENAPI_PASSWORD="my secret"
            XENAPI_CONNECTION_URL='http://192.0.2.10'
            EOF
            """);

        Assert.Equal([("ADMIN_PASSWORD", "citrix"), ("XENAPI_PASSWORD", "my secret"), ("XENAPI_CONNECTION_URL", "http://192.0.2.10")], pairs);
    }

    [Fact]
    public void Apply_XenServerLocalrc_ManagesTheExternalHost()
    {
        var result = ConfigFile.Apply(
            [("ADMIN_PASSWORD", "citrix"), ("XENAPI_CONNECTION_URL", "http://192.0.2.10"), ("XENAPI_USER", "root"), ("XENAPI_PASSWORD", "pw"), ("VIRT_DRIVER", "xenserver")],
            Defaults);

        Assert.Empty(result.Errors);
        Assert.Equal("citrix", result.Settings.AdminPassword);
        Assert.Equal(new ExternalHost("http://192.0.2.10", "root", "pw"), result.Settings.ExternalHost);
    }

    [Fact]
    public void Apply_KeysStratusDoesNotNeed_ReportedWithReason()
    {
        var result = ConfigFile.Apply([("RABBIT_PASSWORD", "x"), ("MULTI_HOST", "1"), ("FANCY_OPTION", "y")], Defaults);

        Assert.Empty(result.Errors);
        Assert.Contains(result.Notes, n => n.StartsWith("RABBIT_PASSWORD: not needed (Stratus has no message bus", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("MULTI_HOST: not needed", StringComparison.Ordinal));
        Assert.Contains("FANCY_OPTION: unknown to Stratus, ignored", result.Notes);
        Assert.Equal(Defaults, result.Settings);
    }

    [Theory]
    [InlineData("VIRT_DRIVER", "libvirt", "VIRT_DRIVER: 'libvirt' is not supported")]
    [InlineData("XENAPI_CONNECTION_URL", "192.0.2.10", "XENAPI_CONNECTION_URL: '192.0.2.10' is not an http(s) URL")]
    [InlineData("FIXED_RANGE", "10.0.0.0/33", "FIXED_RANGE: '10.0.0.0/33' is not an IPv4 CIDR")]
    [InlineData("HOST_IP", "example", "HOST_IP: 'example' is not an IP address")]
    [InlineData("Backend", "xen", "Backend: 'xen' is not one of qemu, sim")]
    public void Apply_WrongValue_ErrorNamesKeyAndExpectation(string key, string value, string expected)
    {
        var result = ConfigFile.Apply([(key, value)], Defaults);

        Assert.Contains(result.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_UrlWithoutPassword_Error()
    {
        var result = ConfigFile.Apply([("XENAPI_CONNECTION_URL", "http://192.0.2.10")], Defaults);

        Assert.Contains(result.Errors, e => e.StartsWith("XENAPI_PASSWORD: required", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_JsonConfig_SetsListenBackendAndRanges()
    {
        using var directory = new Stratus.Testing.TempDirectory();
        var path = directory.Combine("stratus.json");
        File.WriteAllText(path, """{ "Listen": "127.0.0.1:9900", "Backend": "sim", "FixedRange": "10.1.0.0/24", "AdminPassword": "pw" }""");

        var result = ConfigFile.Read(path, Defaults);

        Assert.Empty(result.Errors);
        Assert.Equal("127.0.0.1:9900", result.Settings.Listen);
        Assert.Equal("127.0.0.1:9901", result.Settings.AgentListen);
        Assert.Equal("sim", result.Settings.Backend);
        Assert.Equal("10.1.0.0/24", result.Settings.FixedRange);
        Assert.Equal("pw", result.Settings.AdminPassword);
    }
}
