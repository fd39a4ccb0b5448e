namespace Stratus.Host.Storage;

/// <summary>Formats of /import_raw_vdi and /export_raw_vdi (xapi: raw, vhd; Stratus adds qcow2).</summary>
internal enum ImageFormat
{
    Raw,
    Vhd,
    Qcow2,
}
