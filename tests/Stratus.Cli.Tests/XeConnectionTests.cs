using Stratus.Cli.Xe;

namespace Stratus.Cli.Tests;

public sealed class XeConnectionTests
{
    [Theory]
    [InlineData("xs1", null, true, "https://xs1/")]
    [InlineData("xs1", null, false, "http://xs1/")]
    [InlineData("xs1", 8443, true, "https://xs1:8443/")]
    [InlineData("127.0.0.1", null, true, "http://127.0.0.1/")]
    [InlineData("127.0.0.1", 8080, true, "http://127.0.0.1:8080/")]
    [InlineData("[::1]", 8080, false, "http://[::1]:8080/")]
    [InlineData("http://10.0.0.2:8080", null, true, "http://10.0.0.2:8080/")]
    [InlineData("https://10.0.0.2", 4443, true, "https://10.0.0.2:4443/")]
    [InlineData("http://10.0.0.2:80", 8080, true, "http://10.0.0.2/")]
    public void ServerUri_FollowsNewcli(string server, int? port, bool ssl, string expected)
    {
        var uri = XeConnection.ServerUri(new XeSettings { Server = server, Port = port, UseSsl = ssl });

        Assert.Equal(expected, uri.ToString());
    }
}
