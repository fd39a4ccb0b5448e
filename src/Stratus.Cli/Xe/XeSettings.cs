namespace Stratus.Cli.Xe;

/// <summary>
/// Where and as whom xe connects (ocaml/xe-cli/newcli.ml). Priority: command line, then XE_EXTRA_ARGS, then
/// the <c>~/.xe</c> rc file, then these defaults.
/// </summary>
internal sealed class XeSettings
{
    public string Server { get; set; } = "127.0.0.1";

    /// <summary>The port, when given; otherwise 443 with TLS and 80 without.</summary>
    public int? Port { get; set; }

    public string Username { get; set; } = "root";

    /// <summary>newcli sends the literal "null" when no password was given.</summary>
    public string Password { get; set; } = "null";

    public string PasswordFile { get; set; } = "";

    public bool UseSsl { get; set; } = true;

    public bool Debug { get; set; }

    public bool DebugOnFail { get; set; }

    public string? TraceParent { get; set; }
}
