using System.CommandLine;
using Stratus.Cli.Xe;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus xe &lt;command&gt; [-s host] [-p port] [-u user] [-pw password] [--minimal] key=value ...</c>:
/// the xe grammar is not System.CommandLine's, so every token after <c>xe</c> goes to <see cref="XeProgram"/> untouched.
/// </summary>
internal static class XeCommand
{
    public static Command Create()
    {
        var tokens = new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore, Description = "An xe command and its arguments, as for the real xe." };
        var command = new Command("xe", "The XenServer xe CLI, against any XenAPI server (Stratus or a real XenServer/XCP-ng).")
        {
            tokens,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Tokens after the "xe" command token, in their original order (options such as -pw included).
            var all = parseResult.Tokens.Select(t => t.Value).ToList();
            var start = all.IndexOf("xe") + 1;
            return await XeProgram.RunAsync(all.Skip(start).ToArray(), Console.Out, Console.Error, Environment.GetEnvironmentVariable, cancellationToken);
        });
        return command;
    }
}
