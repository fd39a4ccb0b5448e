using System.Text;

namespace Stratus.Host.Backends.Qemu;

/// <summary>The last lines of a console log, read backwards in blocks so a long-running VM's big log costs only its tail.</summary>
internal static class ConsoleLogTail
{
    private const int Block = 64 * 1024;

    public static async Task<string> ReadAsync(string path, int lines, CancellationToken cancellationToken)
    {
        if (lines <= 0)
            return "";
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
        var length = file.Length;
        var start = length;
        var newlines = 0;
        var found = false;
        var buffer = new byte[Block];
        // A final newline ends the last line rather than starting an empty one; the tail starts after the
        // lines-th newline before it.
        var skipFinal = true;
        while (start > 0 && !found)
        {
            var size = (int)Math.Min(Block, start);
            start -= size;
            file.Position = start;
            await file.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken);
            for (var i = size - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n')
                    continue;
                if (skipFinal && start + i == length - 1)
                    continue;
                if (++newlines == lines)
                {
                    start += i + 1;
                    found = true;
                    break;
                }
            }

            skipFinal = false;
        }

        file.Position = start;
        var tail = new byte[length - start];
        await file.ReadExactlyAsync(tail, cancellationToken);
        return Encoding.UTF8.GetString(tail);
    }
}
