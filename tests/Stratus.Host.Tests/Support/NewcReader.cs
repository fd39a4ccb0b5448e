using System.Globalization;
using System.Text;

namespace Stratus.Host.Tests.Support;

/// <summary>An independent newc cpio parser for checking what CpioWriter wrote (field layout per the kernel's buffer-format.rst).</summary>
internal static class NewcReader
{
    public sealed record Entry(string Name, int Mode, int DevMajor, int DevMinor, byte[] Data, int HeaderOffset);

    public static List<Entry> Read(byte[] archive)
    {
        var entries = new List<Entry>();
        var at = 0;
        while (true)
        {
            var header = Encoding.ASCII.GetString(archive, at, 110);
            Assert.Equal("070701", header[..6]);
            int Field(int i) => int.Parse(header.AsSpan(6 + i * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mode = Field(1);
            var size = Field(6);
            var nameSize = Field(11);
            var name = Encoding.UTF8.GetString(archive, at + 110, nameSize - 1);
            Assert.Equal(0, archive[at + 110 + nameSize - 1]);
            var dataAt = Align(at + 110 + nameSize);
            if (name == "TRAILER!!!")
                return entries;
            entries.Add(new Entry(name, mode, Field(9), Field(10), archive[dataAt..(dataAt + size)], at));
            at = Align(dataAt + size);
        }
    }

    private static int Align(int n) => (n + 3) & ~3;
}
