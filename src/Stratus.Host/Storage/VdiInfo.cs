namespace Stratus.Host.Storage;

/// <summary>A VDI as the substrate knows it.</summary>
/// <param name="Location">VDI.location: what the driver addresses the VDI by (for file SRs the file's stem, the VDI uuid).</param>
/// <param name="VirtualSize">VDI.virtual_size in bytes, as the substrate rounded it (512 bytes for qcow2, an extent for LVM).</param>
/// <param name="PhysicalUtilisation">VDI.physical_utilisation: bytes allocated on the substrate.</param>
/// <param name="ParentLocation">
/// For copy-on-write children, the parent's location (VDI.sm_config["vhd-parent"], which nova walks); null otherwise.
/// </param>
/// <param name="ReadOnly">VDI.read_only: snapshots and base copies.</param>
/// <param name="Hidden">
/// A base copy: the read-only parent that a clone or snapshot left behind so that both sides of the copy keep
/// sharing its blocks (xapi's hidden VHD parent). The XenAPI layer records it with VDI.managed = false and
/// read_only = true; it disappears by itself when its last child is destroyed.
/// </param>
/// <param name="UnusableReason">
/// Non-null when the contents cannot be trusted: an import into this VDI was cut off or failed (or the agent died
/// during it). The mark lives on the substrate, so a scan after a restart still reports it; a later successful import
/// clears it. The XenAPI layer should refuse to attach such a VDI and show the reason (e.g. in other_config).
/// </param>
internal sealed record VdiInfo(
    string Location,
    long VirtualSize,
    long PhysicalUtilisation,
    string? ParentLocation = null,
    bool ReadOnly = false,
    bool Hidden = false,
    string? UnusableReason = null);
