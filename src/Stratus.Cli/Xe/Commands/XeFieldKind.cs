namespace Stratus.Cli.Xe.Commands;

/// <summary>cli_operations.ml <c>fieldtype</c>: how a parameter name addresses a field.</summary>
internal enum XeFieldKind
{
    Normal,
    Set,
    Map,
}
