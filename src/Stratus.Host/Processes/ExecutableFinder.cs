namespace Stratus.Host.Processes;

/// <summary>Looks a program up on PATH, as execvp would.</summary>
internal static class ExecutableFinder
{
    public static string? Find(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
