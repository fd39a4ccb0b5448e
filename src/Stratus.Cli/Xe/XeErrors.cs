using Stratus.XenApi;

namespace Stratus.Cli.Xe;

/// <summary>
/// How xe reports an API failure (cli_util.ml <c>server_error</c>): for a code the datamodel documents, its doc
/// sentence and then one "param-name: value" line per parameter (refs shown as "uuid (name-label)", surplus
/// values as "&lt;extra&gt;: v", missing ones as "name: &lt;unknown&gt;"); for any other code,
/// "Error code: X" and "Error parameters: a, b". Everything goes to stderr.
/// </summary>
internal static class XeErrors
{
    /// <summary>The doc sentence and parameter lines, or null for a code the datamodel does not know.</summary>
    public static async Task<(string Doc, IReadOnlyList<string> Lines)?> DescribeAsync(string code, IReadOnlyList<string> parameters, XeContext? context, CancellationToken cancellationToken)
    {
        if (!XeErrorDocs.All.TryGetValue(code, out var doc))
        {
            return null;
        }

        // VMS_FAILED_TO_COOPERATE lists any number of VMs (cli_util.ml special-cases it).
        var names = code == "VMS_FAILED_TO_COOPERATE" ? parameters.Select(_ => "VM").ToArray() : doc.Parameters;
        var values = await ConvertAsync(parameters, context, cancellationToken);
        var lines = new List<string>();
        for (var i = 0; i < Math.Max(names.Count, values.Count); i++)
        {
            lines.Add(i < names.Count
                ? $"{names[i]}: {(i < values.Count ? values[i] : "<unknown>")}"
                : $"<extra>: {values[i]}");
        }

        return (doc.Doc, lines);
    }

    public static async Task PrintAsync(string code, IReadOnlyList<string> parameters, XeContext? context, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (await DescribeAsync(code, parameters, context, cancellationToken) is { } described)
        {
            stderr.Write(described.Doc + "\n");
            foreach (var line in described.Lines)
            {
                stderr.Write(line + "\n");
            }

            return;
        }

        var values = await ConvertAsync(parameters, context, cancellationToken);
        stderr.Write($"Error code: {code}\n");
        stderr.Write($"Error parameters: {string.Join(", ", values)}\n");
    }

    /// <summary>
    /// cli_util.ml <c>string_of_exn</c> as --multiple reports a failure that is not a documented API error;
    /// OCaml's exception printer shows the CLI's own failures as <c>Cli_util.Cli_failure("...")</c>.
    /// </summary>
    public static string StringOfException(Exception e) => e switch
    {
        XenApiFailure f => $"{f.Code}: [ {string.Join("; ", f.Parameters)} ]",
        XeCliFailure f => $"{XenErrors.InternalError}: [ Cli_util.Cli_failure(\"{f.Message}\") ]",
        _ => $"{XenErrors.InternalError}: [ {e.Message} ]",
    };

    private static async Task<IReadOnlyList<string>> ConvertAsync(IReadOnlyList<string> parameters, XeContext? context, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return parameters;
        }

        var result = new List<string>(parameters.Count);
        foreach (var value in parameters)
        {
            result.Add(await context.DescribeRefAsync(value, cancellationToken));
        }

        return result;
    }
}
