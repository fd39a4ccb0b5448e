namespace Stratus.Cli.Xe;

/// <summary>
/// xe's output (cli_printer.ml and the thin client's <c>Print</c> = print_endline). Records print as
/// <see cref="FormatRecord"/> followed by a newline, and print_endline adds one more, so every record is followed
/// by two empty lines. With --minimal, tables keep the first value of each record and lists keep every value;
/// they are comma-joined (',' and '\' escaped) and printed once at the end of a successful command. Messages and
/// stderr lines print nothing in minimal mode.
/// </summary>
internal sealed class XePrinter(TextWriter stdout, TextWriter stderr, bool minimal)
{
    private readonly List<string> _minimal = [];

    public bool Minimal { get; } = minimal;

    /// <summary>cli_printer.ml <c>multi_line_record</c>: the first key padded on the right, the others on the left.</summary>
    public static string FormatRecord(IReadOnlyList<KeyValuePair<string, string>> record)
    {
        if (record.Count == 0)
        {
            return "\n";
        }

        var width = 4 + record.Max(p => p.Key.Length);
        var lines = new string[record.Count];
        for (var i = 0; i < record.Count; i++)
        {
            var key = i == 0 ? record[i].Key.PadRight(width) : record[i].Key.PadLeft(width);
            lines[i] = key + ": " + record[i].Value;
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>cli_printer.ml <c>escape_commas</c>.</summary>
    public static string EscapeCommas(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal);

    /// <summary><c>PTable</c>.</summary>
    public void Table(IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> records)
    {
        if (Minimal)
        {
            if (records.Count > 0 && records.All(r => r.Count > 0))
            {
                _minimal.Add(string.Join(',', records.Select(r => EscapeCommas(r[0].Value))));
            }

            return;
        }

        foreach (var record in records)
        {
            Print(FormatRecord(record) + "\n");
        }
    }

    /// <summary><c>PList</c>: one line per value.</summary>
    public void List(IEnumerable<string> values)
    {
        if (Minimal)
        {
            _minimal.Add(string.Join(',', values.Select(EscapeCommas)));
            return;
        }

        foreach (var value in values)
        {
            Print(value);
        }
    }

    /// <summary><c>PMsg</c>.</summary>
    public void Message(string text)
    {
        if (!Minimal)
        {
            Print(text);
        }
    }

    /// <summary><c>PStderr</c>: the text and a newline on stderr.</summary>
    public void Stderr(string text)
    {
        if (!Minimal)
        {
            stderr.Write(text + "\n");
        }
    }

    /// <summary>The thin client's <c>Print</c>, which some commands use directly, bypassing --minimal.</summary>
    public void Print(string text) => stdout.Write(text + "\n");

    /// <summary>The thin client's <c>PrintStderr</c>: the text exactly as given.</summary>
    public void PrintStderr(string text) => stderr.Write(text);

    /// <summary>The end of a successful command: in minimal mode, print what was collected (newest first, as xapi's list does).</summary>
    public void Flush()
    {
        if (Minimal)
        {
            _minimal.Reverse();
            Print(string.Join(',', _minimal));
        }
    }
}
