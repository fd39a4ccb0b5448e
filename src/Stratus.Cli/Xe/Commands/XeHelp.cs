namespace Stratus.Cli.Xe.Commands;

/// <summary>
/// "xe help [command...]" and "xe help --all" (cli_frontend.ml <c>rio_help</c>), and the usage text the client
/// prints without a command (newcli.ml <c>usage</c>).
/// </summary>
internal static class XeHelp
{
    public const string Usage =
        "Usage:\n" +
        "  xe <command>\n" +
        "    [ -s <server> ]            XenServer host\n" +
        "    [ -p <port> ]              XenServer port number\n" +
        "    [ -u <username> -pw <password> | -pwf <password file> ]\n" +
        "                               User authentication (password or file)\n" +
        "    [ --nossl ]                Disable SSL/TLS\n" +
        "    [ --debug ]                Enable debug output\n" +
        "    [ --debug-on-fail ]        Enable debug output only on failure\n" +
        "    [ --minimal ]              Output only values in a comma-separated lists\n" +
        "    [ --traceparent <value> ]  Distributed tracing context\n" +
        "    [ --trace ]                Show task stacktrace on failure\n" +
        "    [ <other arguments> ... ]  Command-specific options\n" +
        "\n" +
        "A full list of commands can be obtained by running\n" +
        "  xe help -s <server> -p <port>\n";

    private const string Header =
        "Usage:\n" +
        "  xe <command>\n" +
        "    [ -s <server> ]            XenServer host\n" +
        "    [ -p <port> ]              XenServer port number\n" +
        "    [ -u <username> -pw <password> | -pwf <password file> ]\n" +
        "                               User authentication (password or file)\n" +
        "    [ --nossl ]                Disable SSL/TLS\n" +
        "    [ --debug ]                Enable debug output\n" +
        "    [ --debug-on-fail ]        Enable debug output only on failure\n" +
        "    [ --traceparent <value> ]  Distributed tracing context\n" +
        "    [ <other arguments> ... ]  Command-specific options\n" +
        "\n" +
        "To get help on a specific command:\n" +
        "  xe help <command>\n" +
        "\n";

    private const string VmSelectorsInfo =
        " VMs can be specified by filtering the full list of VMs on the values of zero or more fields. For example, specifying 'uuid=<some_uuid>' will select only the VM with that uuid, and 'power-state=halted' will select only VMs whose 'power-state' field is equal to 'halted'. The special pseudo-field 'vm' matches either of name-label or uuid. Where multiple VMs are matching, the option '--multiple' must be specified to perform the operation. The full list of fields that can be matched can be obtained by the command 'xe vm-list params=all'. If no parameters to select VMs are given, the operation will be performed on all VMs.";

    private const string HostSelectorsInfo =
        " Hosts can be specified by filtering the full list of hosts on the values of zero or more fields. For example, specifying 'uuid=<some_uuid>' will select only the host with that uuid, and 'enabled=true' will select only hosts whose 'enabled' field is equal to 'true'. The special pseudo-field 'host' matches any of hostname, name-label or uuid. Where multiple hosts are matching, and the operation can be performed on multiple hosts, the option '--multiple' must be specified to perform the operation. The full list of fields that can be matched can be obtained by the command 'xe host-list params=all'. If no parameters to select hosts are given, the operation will be performed on all hosts.";

    private const string SrSelectorsInfo =
        " SRs can be specified by filtering the full list of SRs on the values of zero or more fields. For example, specifying 'uuid=<some_uuid>' will select only the sr with that uuid, and 'enabled=true' will select only srs whose 'enabled' field is equal to 'true'. The special pseudo-field 'sr' matches either of name-label or uuid. Where multiple SRs are matching, and the operation can be performed on multiple SRs, the option '--multiple' must be specified to perform the operation. The full list of fields that can be matched can be obtained by the command 'xe sr-list params=all'. If no parameters to select SRs are given, the operation will be performed on all SRs.";

    public static void Print(XeParams parameters, XePrinter printer)
    {
        var named = parameters.Pairs.Where(p => p.Key is not ("server" or "username" or "password" or "port" or "minimal" or "all")).ToArray();
        if (named.Length > 0)
        {
            foreach (var (name, _) in named)
            {
                Describe(name, printer);
            }

            return;
        }

        var names = XeCommandTable.All.Keys.Order(StringComparer.Ordinal).ToArray();
        if (parameters.Get("all") == "true")
        {
            if (printer.Minimal)
            {
                printer.List(names);
                return;
            }

            var hostCommands = names.Where(n => n.StartsWith("host-", StringComparison.Ordinal)).ToArray();
            var vmCommands = names.Where(n => n.StartsWith("vm-", StringComparison.Ordinal)).ToArray();
            var other = names.Except(hostCommands).Except(vmCommands).ToArray();
            printer.List([Header + "Full command list\n-----------------\n"]);
            printer.List(MakeList(hostCommands));
            printer.List(MakeList([""]));
            printer.List(MakeList(vmCommands));
            printer.List(MakeList([""]));
            printer.List(MakeList(other));
            return;
        }

        var standard = names.Where(n => XeCommandTable.All[n].Flags.HasFlag(XeCommandFlags.Standard)).ToArray();
        if (printer.Minimal)
        {
            printer.List(standard);
            return;
        }

        printer.List([Header + "To get a full listing of commands:\n  xe help --all\n\nCommon command list\n-------------------\n"]);
        printer.List(MakeList(standard));
    }

    private static void Describe(string name, XePrinter printer)
    {
        if (!XeCommandTable.All.TryGetValue(name, out var spec))
        {
            printer.List([$"Unknown command '{name}'"]);
            return;
        }

        var optional = spec.Optional.ToList();
        var description = spec.Help;
        var selectors = spec.Flags & (XeCommandFlags.VmSelectors | XeCommandFlags.HostSelectors | XeCommandFlags.SrSelectors);
        if (spec.Flags.HasFlag(XeCommandFlags.VmSelectors))
        {
            optional.Add("<vm-selectors>");
        }

        if (spec.Flags.HasFlag(XeCommandFlags.SrSelectors))
        {
            optional.Add("<sr-selectors>");
        }

        if (spec.Flags.HasFlag(XeCommandFlags.HostSelectors))
        {
            optional.Add("<host-selectors>");
        }

        description += selectors switch
        {
            XeCommandFlags.VmSelectors => VmSelectorsInfo,
            XeCommandFlags.HostSelectors => HostSelectorsInfo,
            XeCommandFlags.SrSelectors => SrSelectorsInfo,
            _ => "",
        };
        printer.Table([
        [
            new("command name        ", name),
            new("reqd params     ", string.Join(", ", spec.Required)),
            new("optional params ", string.Join(", ", optional)),
            new("description     ", description),
        ]]);
    }

    /// <summary>cli_frontend.ml <c>make_list</c>: comma-separated names, wrapped before 74 columns, indented by 4.</summary>
    private static IReadOnlyList<string> MakeList(IReadOnlyList<string> names)
    {
        const string indent = "    ";
        if (names.Count == 0)
        {
            return [indent];
        }

        var lines = new List<string>();
        var current = indent + names[0];
        foreach (var name in names.Skip(1))
        {
            if (current.Length + name.Length > 74)
            {
                lines.Add(current);
                current = indent + name;
            }
            else
            {
                current += ", " + name;
            }
        }

        lines.Add(current);
        return lines;
    }
}
