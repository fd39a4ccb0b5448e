using System.Buffers;

namespace Stratus.Host.Processes;

/// <summary>Renders a command line for people: arguments with spaces or quotes are single-quoted as in sh.</summary>
internal static class CommandLineText
{
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(" \t\n'\"\\$`*?;&|<>(){}");

    public static string Format(string fileName, IReadOnlyList<string> arguments)
    {
        var parts = new string[arguments.Count + 1];
        parts[0] = Quote(fileName);
        for (var i = 0; i < arguments.Count; i++)
        {
            parts[i + 1] = Quote(arguments[i]);
        }

        return string.Join(' ', parts);
    }

    private static string Quote(string value) =>
        value.Length > 0 && value.AsSpan().IndexOfAny(NeedsQuoting) < 0
            ? value
            : "'" + value.Replace("'", "'\\''") + "'";
}
