namespace Stratus.Cli.Xe.Commands;

/// <summary>An entry of xe's command table (cli_cmdtable.ml <c>cmd_spec</c>).</summary>
internal sealed record XeCommandSpec(
    string Name,
    IReadOnlyList<string> Required,
    IReadOnlyList<string> Optional,
    string Help,
    Func<XeInvocation, CancellationToken, Task> Run,
    XeCommandFlags Flags = XeCommandFlags.None);
