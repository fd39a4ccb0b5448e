using Stratus.Cli.Xe;

namespace Stratus.Cli.Tests;

public sealed class XePrinterTests
{
    [Fact]
    public void FormatRecord_FirstKeyLeftOthersRight_WidthIsLongestPlusFour()
    {
        var text = XePrinter.FormatRecord([new("uuid ( RO)", "u"), new("name-label ( RW)", "n")]);

        Assert.Equal("uuid ( RO)          : u\n    name-label ( RW): n\n", text);
    }

    [Fact]
    public void Table_TwoRecords_EachFollowedByTwoEmptyLines()
    {
        var stdout = new StringWriter();
        var printer = new XePrinter(stdout, TextWriter.Null, minimal: false);

        printer.Table([[new("a ( RO)", "1")], [new("a ( RO)", "2")]]);

        Assert.Equal("a ( RO)    : 1\n\n\na ( RO)    : 2\n\n\n", stdout.ToString());
    }

    [Fact]
    public void Minimal_TablesAndLists_CommaJoinedEscapedNewestFirst()
    {
        var stdout = new StringWriter();
        var printer = new XePrinter(stdout, TextWriter.Null, minimal: true);

        printer.Table([[new("name ( RW)", "a,b"), new("x", "ignored")], [new("name ( RW)", "c\\d")]]);
        printer.List(["later"]);
        printer.Message("not shown");
        printer.Flush();

        Assert.Equal("later,a\\,b,c\\\\d\n", stdout.ToString());
    }

    [Fact]
    public void Minimal_NothingCollected_PrintsAnEmptyLine()
    {
        var stdout = new StringWriter();
        var printer = new XePrinter(stdout, TextWriter.Null, minimal: true);

        printer.Table([]);
        printer.Flush();

        Assert.Equal("\n", stdout.ToString());
    }
}
