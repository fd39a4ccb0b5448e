using Stratus.Host.Processes;

namespace Stratus.Host.Tests.Support;

/// <summary>Tests that need a tool skip when it is missing, except under CI (CI=true), where they fail.</summary>
internal static class Requirements
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Tool(string name, string package) => ExternalCommand.Find(name) ?? Missing<string>($"{name} (apt-get install {package})");

    public static string Qemu() => Tool("qemu-system-x86_64", "qemu-system-x86");

    public static T Missing<T>(string what)
    {
        if (InCi)
            Assert.Fail($"{what} is required under CI");
        Assert.Skip($"{what} is not installed");
        return default!;
    }

    public static void Missing(string what) => Missing<object>(what);

    /// <summary>Root (or CAP_NET_ADMIN) and iproute2, for tests that build bridges and namespaces.</summary>
    public static bool IsRoot => Environment.UserName == "root";
}
