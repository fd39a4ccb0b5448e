using System.Globalization;
using System.Text;

namespace Stratus.Cli.Xe;

/// <summary>
/// The client half of the xe grammar (ocaml/xe-cli/newcli.ml <c>parse_args</c>): takes the connection options out
/// of the arguments and hands the rest to the command grammar (<see cref="XeCommandLine"/>).
/// Connection options are <c>-s -p -u -pw -pwf -h --nossl --debug --debug-on-fail --traceparent</c> and the
/// equivalent <c>server= port= username= password= passwordfile= nossl= debug= debugonfail= traceparent=</c>.
/// </summary>
internal static class XeArguments
{
    /// <summary>The arguments after the connection options were taken out, in newcli's order: command line, XE_EXTRA_ARGS, rc file.</summary>
    public static IReadOnlyList<string> Parse(XeSettings settings, IReadOnlyList<string> args, string? extraArgs, IReadOnlyList<KeyValuePair<string, string>> rc)
    {
        var rcRest = new List<string>();
        foreach (var (key, value) in rc)
        {
            if (!SetKeyword(settings, key, value))
            {
                rcRest.Add(key + "=" + value);
            }
        }

        var extrasRest = ProcessArgs(settings, SplitExtraArgs(extraArgs ?? ""));
        var help = args.Any(a => a is "-help" or "--help");
        var argsRest = ProcessArgs(settings, args);
        if (help)
        {
            throw new XeUsageRequestedException();
        }

        return [.. argsRest, .. extrasRest, .. rcRest];
    }

    /// <summary>
    /// The <c>~/.xe</c> rc file: <c>key=value</c> lines, blank lines skipped. A line without '=' discards the whole file
    /// with a warning on stderr, as newcli does (options.ml <c>parse_lines</c>).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseRc(string? text, TextWriter stderr)
    {
        if (text is null)
        {
            return [];
        }

        var lines = text.Split('\n');

        // input_line yields no empty last line for a trailing newline.
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        var result = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < count; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                stderr.Write("Error parsing rc file. No defaults loaded\n");
                return [];
            }

            result.Add(new(line[..eq], line[(eq + 1)..]));
        }

        return result;
    }

    /// <summary>
    /// XE_EXTRA_ARGS is a comma-separated list; "\," keeps a comma inside an argument and every backslash is
    /// then dropped (newcli.ml).
    /// </summary>
    public static IReadOnlyList<string> SplitExtraArgs(string extra)
    {
        var result = new List<string>();
        int pos = 0, i = 0;
        while (pos < extra.Length)
        {
            if (extra[pos] == ',')
            {
                pos++;
                i = pos;
            }
            else if (i >= extra.Length || (extra[i] == ',' && extra[i - 1] != '\\'))
            {
                result.Add(extra[pos..i].Replace("\\", "", StringComparison.Ordinal));
                i++;
                pos = i;
            }
            else
            {
                i++;
            }
        }

        return result;
    }

    /// <summary>Reads <c>-pwf</c>: the user name on the first line, the password on the second.</summary>
    public static void ReadPasswordFile(XeSettings settings)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllText(settings.PasswordFile, Encoding.UTF8).Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new XeExitException(1, $"Error opening password file '{settings.PasswordFile}'\n");
        }

        // input_line needs a complete or final line; two lines must be there.
        if (lines.Length < 2 || (lines.Length == 2 && lines[1].Length == 0))
        {
            throw new XeExitException(1, "Error: password file format: expecting username on the first line, password on the second line\n");
        }

        settings.Username = lines[0];
        settings.Password = lines[1];
    }

    private static List<string> ProcessArgs(XeSettings settings, IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        var i = 0;
        while (i < args.Count)
        {
            if (TryOption(args, i, out var key, out var value, out var consumed) && SetKeyword(settings, key, value))
            {
                i += consumed;
                continue;
            }

            var arg = args[i];
            var eq = arg.IndexOf('=');
            if (!(eq >= 0 && SetKeyword(settings, arg[..eq], arg[(eq + 1)..])))
            {
                rest.Add(arg);
            }

            i++;
        }

        return rest;
    }

    private static bool TryOption(IReadOnlyList<string> args, int i, out string key, out string value, out int consumed)
    {
        var hasValue = i + 1 < args.Count;
        (key, value, consumed) = args[i] switch
        {
            "-s" when hasValue => ("server", args[i + 1], 2),
            "-p" when hasValue => ("port", args[i + 1], 2),
            "-u" when hasValue => ("username", args[i + 1], 2),
            "-pw" when hasValue => ("password", args[i + 1], 2),
            "-pwf" when hasValue => ("passwordfile", args[i + 1], 2),
            "-h" when hasValue => ("server", args[i + 1], 2),
            "--traceparent" when hasValue => ("traceparent", args[i + 1], 2),
            "--nossl" => ("nossl", "true", 1),
            "--debug" => ("debug", "true", 1),
            "--debug-on-fail" => ("debugonfail", "true", 1),
            _ => ("", "", 0),
        };
        return consumed > 0;
    }

    private static bool SetKeyword(XeSettings settings, string key, string value)
    {
        switch (key)
        {
            case "server":
                settings.Server = value;
                return true;
            case "port":
                settings.Port = ParsePort(value);
                return true;
            case "username":
                settings.Username = value;
                return true;
            case "password":
                settings.Password = value;
                return true;
            case "passwordfile":
                settings.PasswordFile = value;
                return true;
            case "nossl":
                // OCaml's bool_of_string accepts only "true" and "false"; anything else leaves the key unknown.
                if (value is "true" or "false")
                {
                    settings.UseSsl = value != "true";
                    return true;
                }

                return false;
            case "debug":
                settings.Debug = value == "true";
                return true;
            case "debugonfail":
                settings.DebugOnFail = value == "true";
                return true;
            case "traceparent":
                settings.TraceParent = value;
                return true;
            default:
                return false;
        }
    }

    private static int ParsePort(string text)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535)
        {
            return port;
        }

        throw new XeUsageRequestedException("Port number must be an integer (0-65535)\n");
    }
}
