namespace Stratus.Cli.Xe.Commands;

/// <summary>cli_cmdtable.ml <c>flag</c>: how "xe help" describes a command.</summary>
[Flags]
internal enum XeCommandFlags
{
    None = 0,

    /// <summary>Listed by a plain "xe help".</summary>
    Standard = 1,

    /// <summary>Selects VMs by any vm-list field (and vm=name-or-uuid).</summary>
    VmSelectors = 2,

    /// <summary>Selects hosts by any host-list field (and host=name-or-uuid).</summary>
    HostSelectors = 4,

    /// <summary>Selects SRs by any sr-list field (and sr=name-or-uuid).</summary>
    SrSelectors = 8,
}
