using Stratus.Testing;

namespace Stratus.Host.Tests.Support;

/// <summary>
/// The storage tests' gates, on top of <see cref="TestEnvironment"/>: skipped on a laptop without the tool, failed
/// under <c>CI=true</c>.
/// </summary>
internal static class Requires
{
    public static void Tool(string name, string package) => TestEnvironment.Require(name, $"apt-get install {package}");

    public static void QemuImg() => Tool("qemu-img", "qemu-utils qemu-block-extra");

    /// <summary>A prerequisite that is not a single executable (ganesha's VFS backend, a running server) is missing.</summary>
    public static void Missing(string reason)
    {
        if (TestEnvironment.IsCi)
        {
            Assert.Fail($"{reason}; CI must install it (.ci/run)");
        }

        Assert.Skip(reason);
    }
}
