namespace Stratus.EndToEnd.Tests.Compute;

/// <summary>The prettytable novaclient prints: a header row and data rows between <c>+---+</c> lines.</summary>
public sealed class CliTable
{
    private CliTable(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    public static CliTable Parse(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith('|')).ToList();
        if (lines.Count == 0)
        {
            throw new FormatException("no table in:\n" + output);
        }

        static List<string> Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();
        return new CliTable(Cells(lines[0]), lines.Skip(1).Select(l => (IReadOnlyList<string>)Cells(l)).ToList());
    }

    public string Cell(IReadOnlyList<string> row, string column) => row[Columns.ToList().IndexOf(column)];

    /// <summary>A two-column Property/Value table (nova show) as a dictionary; wrapped values are joined.</summary>
    public IReadOnlyDictionary<string, string> Properties()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var row in Rows)
        {
            if (row[0].Length == 0 && last is not null)
            {
                result[last] += " " + row[1];
                continue;
            }

            result[row[0]] = row[1];
            last = row[0];
        }

        return result;
    }
}
