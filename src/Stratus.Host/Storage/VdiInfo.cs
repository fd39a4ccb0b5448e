namespace Stratus.Host.Storage;

/// <summary>
/// A VDI as the substrate knows it: VDI.location, virtual_size, physical_utilisation, and for copy-on-write
/// children the parent's location (VDI.sm_config["vhd-parent"], which nova walks).
/// </summary>
internal sealed record VdiInfo(string Location, long VirtualSize, long PhysicalUtilisation, string? ParentLocation = null, bool ReadOnly = false);
