using System.Buffers;
using System.Text;

namespace Stratus.XenApi.Wire;

/// <summary>Writes ASCII literals and escaped text straight into a UTF-8 buffer, without intermediate strings.</summary>
internal static class Utf8Text
{
    // Markup, CR, and the C0 controls XML 1.0 cannot carry (tab and newline it can).
    private static readonly SearchValues<char> MustEscape = SearchValues.Create(
        "&<>\r\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        var span = output.GetSpan(utf8.Length);
        utf8.CopyTo(span);
        output.Advance(utf8.Length);
    }

    public static void Write(IBufferWriter<byte> output, string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = output.GetSpan(max);
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    /// <summary>Writes XML character data: escapes markup, keeps CR as a reference so it survives parsing.</summary>
    public static void WriteXmlEscaped(IBufferWriter<byte> output, string text)
    {
        // Most text needs no escaping at all: find the next character that does with a vectorised search and copy
        // the run before it in one go (a 1,000-VM get_all_records is 7 MiB of XML; a per-character loop showed).
        var rest = text.AsSpan();
        while (true)
        {
            var next = rest.IndexOfAny(MustEscape);
            if (next < 0)
            {
                WriteChars(output, rest);
                return;
            }

            if (next > 0)
            {
                WriteChars(output, rest[..next]);
            }

            Write(output, rest[next] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                '\r' => "&#13;"u8,
                // XML 1.0 cannot carry other C0 controls; U+FFFD keeps the document well-formed.
                _ => "&#xFFFD;"u8,
            });
            rest = rest[(next + 1)..];
        }
    }

    private static void WriteChars(IBufferWriter<byte> output, ReadOnlySpan<char> chars)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(chars.Length));
        output.Advance(Encoding.UTF8.GetBytes(chars, span));
    }
}
