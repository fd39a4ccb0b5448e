using System.CommandLine;
using Stratus.Cli.Xe;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus xe &lt;command&gt; [-s host] [-p port] [-u user] [-pw password] [--minimal] key=value ...</c>.
/// The xe grammar is not System.CommandLine's: "-h" names a server, "--help" is xe's own usage, "@x" is no response
/// file and "--" is an ordinary token. So Program.cs hands every token after "xe" to <see cref="RunAsync"/> before
/// System.CommandLine parses anything; the command registered here only describes xe in "stratus --help".
/// </summary>
internal static class XeCommand
{
    public const string Name = "xe";

    public static Command Create()
    {
        var tokens = new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore, Description = "An xe command and its arguments, as for the real xe." };
        var command = new Command(Name, "The XenServer xe CLI, against any XenAPI server (Stratus or a real XenServer/XCP-ng).")
        {
            tokens,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(tokens) ?? [], cancellationToken));
        return command;
    }

    /// <summary>Runs xe on the tokens after "xe", exactly as given.</summary>
    public static Task<int> RunAsync(string[] arguments, CancellationToken cancellationToken) =>
        XeProgram.RunAsync(arguments, Console.Out, Console.Error, Environment.GetEnvironmentVariable, cancellationToken);
}
