using System.Text;
using Stratus.Host.Backends.Qemu;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Backends.Qemu;

public sealed class ConsoleLogTailTests : IDisposable
{
    private readonly ShortTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> TailAsync(string content, int lines)
    {
        var path = _dir.File($"{Guid.NewGuid():N}.log");
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
        return await ConsoleLogTail.ReadAsync(path, lines, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("a\nb\nc\n", 2, "b\nc\n")]
    [InlineData("a\nb\nc", 2, "b\nc")]
    [InlineData("a\nb\nc\n", 1, "c\n")]
    [InlineData("a\nb\nc\n", 10, "a\nb\nc\n")]
    [InlineData("a\n\nc\n", 2, "\nc\n")]
    [InlineData("", 3, "")]
    [InlineData("a\nb\n", 0, "")]
    public async Task ReadAsync_LastLines(string content, int lines, string expected)
    {
        Assert.Equal(expected, await TailAsync(content, lines));
    }

    [Fact]
    public async Task ReadAsync_LogLargerThanOneBlock_ReadsAcrossBlocks()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
            text.Append("line ").Append(i).Append('\n');

        var tail = await TailAsync(text.ToString(), 15_000);

        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(15_000, lines.Length);
        Assert.Equal("line 5000", lines[0]);
        Assert.Equal("line 19999", lines[^1]);
    }
}
