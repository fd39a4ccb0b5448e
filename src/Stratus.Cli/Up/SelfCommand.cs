using System.Diagnostics;

namespace Stratus.Cli.Up;

/// <summary>How to run this same stratus program as a child: through the dotnet host when that is how we run.</summary>
internal static class SelfCommand
{
    public static ProcessStartInfo Create(IEnumerable<string> arguments)
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(processPath) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(SelfCommand).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
