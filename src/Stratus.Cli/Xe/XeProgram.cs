namespace Stratus.Cli.Xe;

/// <summary>The xe CLI: parses the xe grammar, talks XenAPI, prints what the real xe prints.</summary>
internal static class XeProgram
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        stderr.WriteLine("xe: not available in this build");
        return Task.FromResult(ExitCodes.Failure);
    }
}
