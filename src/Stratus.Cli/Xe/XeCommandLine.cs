namespace Stratus.Cli.Xe;

/// <summary>
/// The server half of the xe grammar (cli_frontend.ml <c>parse_commandline</c>): the command name, then
/// <c>key=value</c> (split at the first '='; no '=' gives an empty value), <c>--flag</c> (= <c>flag=true</c>) and
/// the two-token switches <c>-u -pw -s -h -p</c>. Parameters keep their order and may repeat.
/// </summary>
internal sealed class XeCommandLine
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--force"] = "force",
        ["--live"] = "live",
        ["--internal"] = "internal",
        ["-u"] = "username",
        ["-pw"] = "password",
        ["-s"] = "server",
        ["-h"] = "server",
        ["-p"] = "port",
        ["--debug"] = "debug",
        ["--minimal"] = "minimal",
        ["--all"] = "all",
    };

    private XeCommandLine(string name, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Name = name;
        Parameters = parameters;
    }

    public string Name { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>
    /// Parses the tokens after "xe". Every failure is a <c>Syntax error</c> with an empty detail, except a
    /// missing command name, because parse_commandline re-raises whatever went wrong as <c>ParseError ""</c>.
    /// </summary>
    public static XeCommandLine Parse(IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 0)
        {
            throw new XeUsageException("Syntax error", "");
        }

        var name = tokens[0];
        if (name.Contains('=', StringComparison.Ordinal))
        {
            throw new XeUsageException("Syntax error", "command name is missing");
        }

        var parameters = new List<KeyValuePair<string, string>>();
        for (var i = 1; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                parameters.Add(new(token[2..], "true"));
            }
            else if (token.StartsWith('-'))
            {
                if (i + 1 >= tokens.Count || !Switches.TryGetValue(token, out var key))
                {
                    throw new XeUsageException("Syntax error", "");
                }

                parameters.Add(new(key, tokens[++i]));
            }
            else
            {
                var eq = token.IndexOf('=');
                parameters.Add(eq < 0 ? new(token, "") : new(token[..eq], token[(eq + 1)..]));
            }
        }

        return new XeCommandLine(name, parameters);
    }

    /// <summary>The same command with parameters appended (newcli adds <c>username=</c> and <c>password=</c> last).</summary>
    public XeCommandLine With(params KeyValuePair<string, string>[] more) => new(Name, [.. Parameters, .. more]);
}
