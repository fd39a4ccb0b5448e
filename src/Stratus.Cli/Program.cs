using System.CommandLine;
using Stratus.Cli.Commands;

// The stratus program: each command is one class under Commands/.
var root = new RootCommand("Stratus: a private cloud in one program (XenAPI host agent, OpenStack-compatible controller).")
{
    XeCommand.Create(),
    ImageCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
