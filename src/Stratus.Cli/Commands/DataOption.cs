using System.CommandLine;
using Stratus.Cli.Up;

namespace Stratus.Cli.Commands;

/// <summary>The <c>--data DIR</c> option shared by up, down, status, logs, why and restart.</summary>
internal static class DataOption
{
    public static Option<string> Create() => new("--data")
    {
        Description = "The cloud's data directory (default: $XDG_DATA_HOME/stratus or ~/.local/share/stratus).",
        DefaultValueFactory = _ => RunDirectory.Default(),
    };
}
