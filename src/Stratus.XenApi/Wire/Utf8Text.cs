using System.Buffers;
using System.Text;

namespace Stratus.XenApi.Wire;

/// <summary>Writes ASCII literals and escaped text straight into a UTF-8 buffer, without intermediate strings.</summary>
internal static class Utf8Text
{
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
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            ReadOnlySpan<byte> replacement = c switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                '\r' => "&#13;"u8,
                // XML 1.0 cannot carry other C0 controls; U+FFFD keeps the document well-formed.
                < ' ' and not '\t' and not '\n' => "&#xFFFD;"u8,
                _ => default,
            };
            if (replacement.IsEmpty)
            {
                continue;
            }

            if (i > start)
            {
                WriteChars(output, text.AsSpan(start, i - start));
            }

            Write(output, replacement);
            start = i + 1;
        }

        if (start < text.Length)
        {
            WriteChars(output, text.AsSpan(start));
        }
    }

    private static void WriteChars(IBufferWriter<byte> output, ReadOnlySpan<char> chars)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(chars.Length));
        output.Advance(Encoding.UTF8.GetBytes(chars, span));
    }
}
