using Stratus.Cli.Tests.Fakes;
using Stratus.Cli.Xe;

namespace Stratus.Cli.Tests;

/// <summary>Runs xe in-process against a fake API and captures what it printed.</summary>
internal static class XeRun
{
    public static Task<XeResult> AgainstAsync(FakeXenApi api, params string[] args) => WithStdinAsync(api, "", args);

    /// <summary>Runs xe whose login fails with <paramref name="failure"/>.</summary>
    public static async Task<XeResult> FailingLoginAsync(Exception failure, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await XeProgram.RunAsync(args, stdout, stderr, _ => null, TextReader.Null, TimeProvider.System,
            (_, _) => Task.FromException<IXeConnection>(failure), TestContext.Current.CancellationToken);
        return new XeResult(code, stdout.ToString(), stderr.ToString());
    }

    public static async Task<XeResult> WithStdinAsync(FakeXenApi api, string stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var connections = 0;
        var code = await XeProgram.RunAsync(args, stdout, stderr, _ => null, new StringReader(stdin), TimeProvider.System,
            (_, _) =>
            {
                connections++;
                return Task.FromResult<IXeConnection>(new FakeConnection(api));
            },
            TestContext.Current.CancellationToken);
        return new XeResult(code, stdout.ToString(), stderr.ToString(), connections);
    }
}
