namespace Stratus.Testing;

/// <summary>
/// Gates for tests that need a tool from the machine (QEMU, nfs-ganesha, the OpenStack clients, node): they skip
/// on a laptop without it, but fail under CI (<c>CI=true</c>), where .ci/run installs everything.
/// </summary>
public static class TestEnvironment
{
    public static bool IsCi => string.Equals(System.Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindExecutable(string name)
    {
        if (System.IO.Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Skips the test when <paramref name="executable"/> is missing, unless running under CI, where that is a failure.</summary>
    public static string Require(string executable, string why)
    {
        var found = FindExecutable(executable);
        if (found is not null)
        {
            return found;
        }

        var message = $"{executable} is not installed ({why})";
        if (IsCi)
        {
            throw new InvalidOperationException(message + "; CI must install it (.ci/run)");
        }

        Xunit.Assert.Skip(message);
        return "";
    }
}
