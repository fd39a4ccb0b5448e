using Stratus.Host.Processes;

namespace Stratus.Host.Tests.Support;

/// <summary>
/// Gates for tests that need a tool: skipped on a laptop without it, failed under <c>CI=true</c>, where a missing tool
/// is a broken environment rather than a reason to pass quietly.
/// </summary>
internal static class Requires
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Tool(string name, string package)
    {
        if (ExecutableFinder.Find(name) is null)
        {
            Missing($"{name} is not installed (apt-get install {package})");
        }
    }

    public static void QemuImg() => Tool("qemu-img", "qemu-utils");

    public static void Missing(string reason)
    {
        if (InCi)
        {
            Assert.Fail($"{reason}; required when CI=true");
        }

        Assert.Skip(reason);
    }
}
